"""The statistics page of deviations (issue 3, point 7): charts, tables, filters, CSV, access.

The dataset is built in tests/analysis_helpers.py.
"""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.analysis_helpers import (
    PERIOD,
    STATS_URL,
    _chart_values,
    build_dataset,
)


def _table_counts(html, table_id):
    """The counts of a table's body; a count of reports is a link to the register
    (analysis/drilldown.py), the others plain."""
    table = re.search(rf'<table id="{table_id}".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>.*?</tbody>", table, re.S).group(0)
    return [
        int(v)
        for v in re.findall(r'<td class="num count">(?:<a href="[^"]*">)?(\d+)(?:</a>)?</td>', body)
    ]


def made_once_for_the_module(cast):
    """Ten reports of 2025 in units A and B (tests/analysis_helpers.py), made once per module."""
    return build_dataset(cast)


@pytest.fixture
def dataset(module_data):
    return module_data


# -- the statistics page ---------------------------------------------------------------------


def test_the_page_shows_the_figures_as_svg_and_as_table(dataset, login):
    response = login(dataset.quality).get(STATS_URL, PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    for chart_id, table_id, expected in (
        # The one lex Maria case is "fewer than 5": nobody in the cast reads lex Maria.
        ("chart-kinds", "table-kinds", [2, 2, 3]),
        ("chart-months", "table-months", [2, 0, 3, 0, 0, 5, 0, 0, 0, 0, 0, 0]),
    ):
        bars, texts = _chart_values(html, chart_id)
        assert bars == texts == _table_counts(html, table_id) == expected
    assert re.search(r'<svg[^>]*id="chart-kinds"[^>]*role="img"', html)
    assert 'id="chart-kinds-title"' in html
    # No script draws anything: the one script file only opens the tables for printing.
    main = html.split("<main", 1)[1]
    assert re.findall(r"<script[^>]*>", main) == [
        '<script src="/static/analysis/statistics.js" defer>'
    ]
    assert " style=" not in html
    # The unit chart shows the level below the top, most reports first; each unit's name
    # opens its own statistics, where its units are the bars (the page lists no whole tree).
    bars, _texts = _chart_values(html, "chart-units")
    assert bars == [10]  # the department, below the administration
    scoped = login(dataset.quality).get(STATS_URL, {**PERIOD, "scope": dataset.dept.pk})
    scoped = scoped.content.decode()
    assert f"scope={dataset.dept.pk}" in html
    assert _chart_values(scoped, "chart-units")[0] == [7, 3]
    assert re.search(r'>Enhet A</a></th><td class="num count"><a href="[^"]+">7</a></td>', scoped)
    # Nothing about single reports.
    assert "Brukaren fick fel medicin" not in html
    assert "AV-2025" not in html


def test_the_page_for_a_unit_manager_and_the_default_year(dataset, login):
    c = dataset
    response = login(c.manager_a).get(STATS_URL, PERIOD)
    html = response.content.decode()
    assert "Enhet B" not in html
    # Lex Sarah and lex Maria are hidden from her: she reads neither (analysis/suppression.py).
    assert _chart_values(html, "chart-kinds")[0] == [2, 1]
    # Without a filter: the current calendar year, which holds none of the 2025 reports.
    response = login(c.manager_a).get(STATS_URL)
    assert response.status_code == 200
    assert response.context["stats"].start == datetime.date(timezone.localdate().year, 1, 1)
    assert len(response.context["stats"].months) == 12


def test_invalid_filter_keeps_the_input(dataset, login):
    response = login(dataset.quality).get(
        STATS_URL, {"period_from": "2025-06-01", "period_to": "2025-01-01"}
    )
    assert response.status_code == 200
    assert response.context["stats"] is None
    assert response.context["form"].errors["period_to"]
    assert 'value="2025-06-01"' in response.content.decode()


def test_scope_filter_offers_only_visible_units(dataset, login):
    c = dataset
    response = login(c.manager_a).get(STATS_URL, {**PERIOD, "scope": c.unit_b.pk})
    assert response.context["stats"] is None
    assert "scope" in response.context["form"].errors
    response = login(c.quality).get(STATS_URL, {**PERIOD, "scope": c.unit_b.pk})
    assert response.context["stats"].reports == 3


def test_csv_export_of_the_figures(dataset, login):
    response = login(dataset.quality).get(reverse("analysis:statistics_csv"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    counts = [row[2] for row in rows[1:]]
    assert rows[2][2] == "10" and rows[3][2] == "1" and rows[5][2:4] == ["2", "9"]
    assert "7" in counts
    units = {row[1]: row[2] for row in rows if row[1] in ("Enhet A", "Enhet B", "Avdelningen")}
    assert units == {"Enhet A": "7", "Enhet B": "3", "Avdelningen": "10"}
    assert "Brukaren fick fel medicin" not in text


def test_csv_for_a_unit_manager_counts_only_their_unit(dataset, login):
    text = login(dataset.manager_a).get(reverse("analysis:statistics_csv"), PERIOD)
    rows = list(csv.reader(io.StringIO(text.content.decode().lstrip("\ufeff")), delimiter=";"))
    assert rows[2][2] == "7"
    assert not any(row[1] == "Enhet B" for row in rows)


def test_statistics_access(cast, client, login):
    assert client.get(STATS_URL).status_code == 302
    assert login(cast.outsider).get(STATS_URL).status_code == 403
    assert login(cast.outsider).get(reverse("analysis:statistics_csv")).status_code == 403
