"""Small cells of restricted figures (analysis/suppression.py).

The dataset (tests/analysis_helpers.py) has in unit A two lex Sarah cases (one judged serious) and
one lex Maria case. The unit manager of A and its staff member read neither track; the quality
developer reads lex Sarah over the whole administration, and nobody in the cast reads lex Maria.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation

from analysis import services as analysis_services
from analysis import suppression
from analysis.suppression import Hidden, is_hidden
from tests.analysis_helpers import END, PERIOD, START, STATS_URL, build_dataset, compute_for


def made_once_for_the_module(cast):
    """Ten reports of 2025 in units A and B (tests/analysis_helpers.py), made once per module."""
    return build_dataset(cast)


@pytest.fixture
def dataset(module_data):
    return module_data


CSV_URL = reverse("analysis:statistics_csv")


def fewer(limit=5):
    with translation.override("sv"):
        return str(Hidden(limit))


def protected(cast, user, **filters):
    from organisation.models import OrgNode

    result = compute_for(cast, user, **filters)
    nodes = list(OrgNode.objects.visible_to(user, "analysis.view"))
    scope = filters.get("scope")
    if scope is not None:
        nodes = [n for n in nodes if n.path.startswith(scope.path)]
    suppression.protect(result, suppression.hidden_kinds(user, nodes))
    return result


def test_who_may_read_which_track(dataset):
    from organisation.models import OrgNode

    c = dataset
    nodes = list(OrgNode.objects.filter(path__startswith=c.unit_a.path))
    assert suppression.hidden_kinds(c.manager_a, nodes) == {"lex_sarah", "lex_maria"}
    assert suppression.hidden_kinds(c.same_unit, nodes) == {"lex_sarah", "lex_maria"}
    assert suppression.hidden_kinds(c.quality, nodes) == {"lex_maria"}
    assert suppression.hidden_kinds(c.parent_manager, nodes) == {"lex_maria"}


def test_small_restricted_cells_are_hidden_from_a_non_reader(dataset):
    result = protected(dataset, dataset.manager_a)
    sarah, maria = result.kind("lex_sarah"), result.kind("lex_maria")
    for value in (sarah.count, sarah.serious_yes, sarah.serious_no, sarah.share, maria.count):
        assert is_hidden(value)
    assert is_hidden(sarah.notified) and is_hidden(sarah.notified_share)
    # The other tracks stay as they are, and nothing can be added back up.
    assert result.kind("data_breach").count == 2 and result.kind("other").count == 1
    assert result.reports == 7
    march = next(m for m in result.months if m.month.month == 3)
    assert is_hidden(march.kinds["lex_sarah"])
    assert result.suppressed


def test_readers_see_the_true_numbers(dataset):
    result = protected(dataset, dataset.quality)
    assert result.kind("lex_sarah").count == 2
    assert result.kind("lex_sarah").serious_yes == 1
    # Nobody in the cast reads lex Maria, the quality developer neither.
    assert is_hidden(result.kind("lex_maria").count)


def test_a_single_hidden_part_of_a_sum_takes_another_with_it():
    cells = {"total": 10, "a": 2, "b": 8, "c": 0}
    hidden = suppression.suppress(cells, {"a"}, [("total", ["a", "b", "c"])], 5)
    assert hidden == {"a": False, "b": True}
    # Two hidden parts: the sum says nothing about either.
    cells = {"total": 10, "a": 2, "b": 3, "c": 5}
    hidden = suppression.suppress(cells, {"a", "b"}, [("total", ["a", "b", "c"])], 5)
    assert hidden == {"a": False, "b": False}
    # Zero is no small cell: it points at nobody.
    assert (
        suppression.suppress({"total": 5, "a": 0, "b": 5}, {"a"}, [("total", ["a", "b"])], 5) == {}
    )
    # A sum shown only in a sentence goes before a figure of the table.
    cells = {"total": 10, "a": 2, "b": 8}
    hidden = suppression.suppress(cells, {"a"}, [("total", ["a", "b"])], 5, free={"total"})
    assert hidden == {"a": False, "total": True}


def test_the_threshold_is_data(dataset, settings):
    assert suppression.threshold() == 5
    settings.HJULET_SMALL_CELL_THRESHOLD = 2
    result = protected(dataset, dataset.manager_a)
    assert result.kind("lex_sarah").count == 2
    assert is_hidden(result.kind("lex_maria").count)
    # Lex Maria alone hidden among the tracks: their sum, shown in a sentence, goes with it.
    assert is_hidden(result.tracks)
    assert [k.count for k in result.kinds if not is_hidden(k.count)] == [2, 2, 1]


def test_one_day_one_unit_one_track(dataset, login):
    """The care worker's case: her unit, one day, lex Sarah only."""
    day = datetime.date(START.year, 3, 15).isoformat()
    response = login(dataset.same_unit).get(
        STATS_URL, {"period_from": day, "period_to": day, "track": "lex_sarah"}
    )
    assert response.status_code == 200
    result = response.context["stats"]
    sarah = result.kind("lex_sarah")
    for value in (result.reports, sarah.count, sarah.serious_yes, sarah.serious_no):
        assert is_hidden(value)
    html = response.content.decode()
    assert 'id="statistics-suppressed"' in html
    assert fewer() in html
    row = html.split('id="notified-lex_sarah"', 1)[1].split("</tr>", 1)[0]
    assert ">1<" not in row and ">2<" not in row


def test_the_page_and_its_charts_hide_the_cells(dataset, login):
    html = login(dataset.manager_a).get(STATS_URL, PERIOD).content.decode()
    chart = html.split('id="chart-kinds"', 1)[1].split("</svg>", 1)[0]
    assert f'data-label="Lex Sarah" data-value="{fewer()}"' in chart
    table = html.split('id="table-kinds"', 1)[1].split("</table>", 1)[0]
    assert f'<td class="num count">{fewer()}</td>' in table
    # A reader of lex Sarah gets the number.
    html = login(dataset.quality).get(STATS_URL, PERIOD).content.decode()
    chart = html.split('id="chart-kinds"', 1)[1].split("</svg>", 1)[0]
    assert 'data-label="Lex Sarah" data-value="2"' in chart


def test_the_csv_hides_the_cells(dataset, login):
    response = login(dataset.manager_a).get(CSV_URL, PERIOD)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    sarah = [r for r in rows if r[1].startswith("Lex Sarah")]
    assert sarah and all(r[2] in (fewer(), str(Hidden(5, secondary=True))) for r in sarah), sarah
    readers = login(dataset.quality).get(CSV_URL, PERIOD)
    rows = list(csv.reader(io.StringIO(readers.content.decode("utf-8-sig")), delimiter=";"))
    assert any(r[1] == "Lex Sarah" and r[2] == "2" for r in rows)


def test_a_saved_analysis_hides_the_cells_from_a_non_reader(dataset, login):
    analysis = analysis_services.create_analysis(
        actor=dataset.quality,
        scope=dataset.unit_a,
        title="Analys av enhet A",
        period_from=START,
        period_to=END,
        findings="Mönster i läkemedelshanteringen.",
    )
    url = reverse("analysis:analysis_detail", args=[analysis.pk])
    page = login(dataset.manager_a).get(url)
    assert page.status_code == 200
    assert is_hidden(page.context["stats"].kind("lex_sarah").count)
    assert login(dataset.quality).get(url).context["stats"].kind("lex_sarah").count == 2


@pytest.mark.parametrize("track", ["", "lex_sarah"])
def test_the_page_answers_for_every_filter(dataset, login, track):
    response = login(dataset.manager_a).get(STATS_URL, {**PERIOD, "track": track})
    assert response.status_code == 200
