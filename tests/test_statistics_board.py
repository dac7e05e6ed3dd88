"""Statistics that a board reads (issue 10, points 9 and 10): the same period a year earlier and
five years, a chart per unit, every count of reports a link to the register rows behind it, the
kinds of event, a short page, and the board member's start page read cheaply.

The 2025 dataset is tests/analysis_helpers.py's; here four reports of 2024 are added (two in
unit A: "other" and "not a deviation"; two "other" in unit B), and kinds of event on some.
"""

import datetime
import html as html_lib
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analysis import comparison, presentation
from analysis.suppression import Hidden
from deviations import services
from deviations.models import Deviation, EventCategory
from legal.rules import TrackKind
from organisation.models import NodeKind
from organisation.services import create_node
from tests.analysis_helpers import PERIOD, STATS_URL, YEAR, build_dataset, classify
from tests.cast import _assign, _user

REGISTER = reverse("deviations:list")
LINK = re.compile(r'<a href="(/deviations/\?[^"]+)">(\d+)</a>')


def report_at(cast, unit, when, actor=None, category=None):
    reporter = actor or (cast.same_unit if unit == cast.unit_a else cast.sibling)
    return services.report(
        actor=reporter,
        unit=unit,
        reported_at=when,
        aware_at=when,
        occurred_at=when - datetime.timedelta(hours=1),
        description="Larmet fungerade inte.",
        immediate_action="Extra tillsyn.",
        service_user_affected="no",
        category=EventCategory.objects.get(code=category) if category else None,
    )


def day(year, month, d=15):
    return datetime.datetime(year, month, d, 12, 0, tzinfo=timezone.get_current_timezone())


def categorise(cast, deviation, code):
    services.change_category(
        deviation, actor=cast.quality, category=EventCategory.objects.get(code=code)
    )


def made_once_for_the_module(cast):
    """The dataset of 2025, four reports of 2024 and kinds of event (tests/conftest.py)."""
    c = build_dataset(cast)
    earlier = YEAR - 1
    classify(c, report_at(c, c.unit_a, day(earlier, 3), category="fall"), [TrackKind.OTHER])
    classify(c, report_at(c, c.unit_a, day(earlier, 5)), [TrackKind.NOT_DEVIATION])
    for month in (6, 9):
        classify(c, report_at(c, c.unit_b, day(earlier, month)), [TrackKind.OTHER])
    # Open cases of 2025 (a closed case's kind of event no longer changes).
    open_cases = Deviation.objects.filter(reported_at__year=YEAR).exclude(status="closed")
    a_reports = list(open_cases.filter(unit=c.unit_a).order_by("pk")[:2])
    for deviation in a_reports:
        categorise(c, deviation, "fall")
    categorise(c, open_cases.filter(unit=c.unit_b).first(), "medication")
    c.manager_b = _user("manager_b", "Bo", "Chef")
    _assign(c.manager_b, "unit_manager", c.unit_b, subtree=True)
    return c


@pytest.fixture
def board_data(module_data):
    return module_data


def client_for(user):
    client = Client()
    client.force_login(user, backend="accounts.backends.RoleBackend")
    return client


def links_of(html):
    """(register URL, the count it is drawn on) of every linked count of the page."""
    return [(html_lib.unescape(url), int(n)) for url, n in LINK.findall(html)]


def listed(client, url):
    """The pks the register lists at `url`, and its count."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.context["page"]
    return {d.pk for d in page.object_list}, page.paginator.count


# -- the same period a year earlier, and five years ----------------------------------------------


def test_change_is_written_as_a_board_reads_it():
    assert presentation.change(120, 108) == "+12 (+11\u00a0%)"
    assert presentation.change(3, 5) == "\u22122 (\u221240\u00a0%)"
    assert presentation.change(5, 0) == "+5"  # no percentage of nothing
    assert presentation.change(4, 4) == "±0"
    assert presentation.change(Hidden(5), 3) == "–"  # would give the hidden figure away
    assert presentation.change(3, None) == ""
    assert comparison.previous_period(datetime.date(2024, 2, 29), datetime.date(2024, 12, 31)) == (
        datetime.date(2023, 2, 28),
        datetime.date(2023, 12, 31),
    )


def test_the_year_earlier_and_the_trend(board_data, login):
    c = board_data
    response = login(c.quality).get(STATS_URL, PERIOD)
    previous, page = response.context["previous"], response.context["page"]
    assert (previous.start, previous.end) == (
        datetime.date(YEAR - 1, 1, 1),
        datetime.date(YEAR - 1, 12, 31),
    )
    assert (previous.reports, previous.not_deviation, previous.deviations) == (4, 1, 3)
    reports = page.totals["reports"]
    assert (reports.current.value, reports.previous.value, reports.change) == (
        10,
        4,
        "+6 (+150\u00a0%)",
    )
    kinds = {row.key: row for row in page.kinds}
    assert (kinds["other"].current.value, kinds["other"].previous.value) == (3, 3)
    assert kinds["other"].change == "±0"
    assert kinds["lex_sarah"].change == "+2"
    html = response.content.decode()
    assert 'id="statistics-compared"' in html
    assert f"{YEAR - 1}-01-01 – {YEAR - 1}-12-31" in html
    assert "+6 (+150\u00a0%)" in html
    # Five calendar years up to the period's, from the yearly counts.
    trend = [(row.label, row.current.value) for row in page.trend]
    assert trend == [(str(YEAR - 4 + i), n) for i, n in enumerate([0, 0, 0, 4, 10])]
    assert 'id="chart-trend"' in html and 'id="table-trend"' in html


def test_a_year_earlier_is_protected_like_the_period(board_data, login):
    """manager_a reads no lex Sarah: this year's two cases are "fewer than 5", and the change
    beside them is not given (it would tell the number)."""
    page = login(board_data.manager_a).get(STATS_URL, PERIOD).context["page"]
    sarah = next(row for row in page.kinds if row.key == "lex_sarah")
    assert isinstance(sarah.current.value, Hidden)
    assert sarah.previous.value == 0 and sarah.change == "–"
    assert sarah.current.link is None


# -- the chart per unit ----------------------------------------------------------------------------


def test_units_right_below_the_scope_most_first_and_the_empty_ones_in_one_line(board_data, login):
    c = board_data
    response = login(c.quality).get(STATS_URL, {**PERIOD, "scope": c.dept.pk})
    page = response.context["page"]
    rows = [(row.label, row.current.value, row.previous.value, row.change) for row in page.units]
    assert rows == [("Enhet A", 7, 2, "+5 (+250\u00a0%)"), ("Enhet B", 3, 2, "+1 (+50\u00a0%)")]
    assert page.units_none == 1  # Utföraren: nothing in either year
    html = response.content.decode()
    assert 'id="units-none-row"' in html and "Utföraren" not in html.split('id="units"')[1]
    bars = re.findall(r'data-label="([^"]+)" data-value="(\d+)"', html.split('id="chart-units"')[1])
    assert bars[:2] == [("Enhet A", "7"), ("Enhet B", "3")]
    # Each unit's name opens that unit's own statistics, for the same period.
    assert page.units[0].label_link == (
        f"{STATS_URL}?period_from={YEAR}-01-01&period_to={YEAR}-12-31&scope={c.unit_a.pk}"
    )


def test_the_page_is_short(board_data, login):
    """No table of zeros: rows with nothing in either period are named once, the detail tables
    are disclosures, and the whole tree of units is not listed. Only the time series (months,
    years) keep their empty months and years."""
    html = login(board_data.quality).get(STATS_URL, PERIOD).content.decode()
    main = html.split("<main", 1)[1]
    assert 'id="table-units"' not in main
    assert 'id="categories-none"' in main and "Hot och våld" in main
    assert 'id="causes-none"' in main
    assert main.count('<details class="figure-table"') >= 6
    tables = dict(re.findall(r'<table id="([\w-]+)">(.*?)</table>', main, re.S))
    assert {"table-unit-chart", "table-categories", "table-kinds", "table-causes"} <= set(tables)
    for name, table in tables.items():
        assert "<caption" in table, name
        assert not re.findall(r"<th(?![^>]*scope=)[ >]", table), name
        if name in ("table-months", "table-trend"):
            continue
        body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        for row in re.findall(r"<tr.*?</tr>", body, re.S):
            cells = re.findall(r'<td class="num[^"]*">(.*?)</td>', row, re.S)
            numbers = [re.sub(r"<[^>]+>", "", cell) for cell in cells]
            assert any(n not in ("0", "", "–", "±0") for n in numbers), (name, row)


# -- from a count to the reports behind it ---------------------------------------------------------


def assert_links_list_their_rows(client, html):
    seen = {}
    for url, figure in links_of(html):
        pks, count = listed(client, url)
        assert count == figure == len(pks), (url, figure, count)
        seen[url] = pks
    return seen


@pytest.mark.parametrize(
    "who, params",
    [
        ("quality", PERIOD),
        ("quality", {**PERIOD, "track": "other"}),
        ("quality", {"period_from": f"{YEAR}-03-10", "period_to": f"{YEAR}-06-20"}),
        ("manager_a", PERIOD),
    ],
)
def test_every_link_lists_exactly_the_counted_reports(board_data, who, params):
    c = board_data
    user = getattr(c, who)
    client = client_for(user)
    html = client.get(STATS_URL, params).content.decode()
    seen = assert_links_list_their_rows(client, html)
    assert len(seen) > 8
    urls = "\n".join(seen)
    # The kinds of event, the year earlier, the months, the units and the tracks all link.
    assert "category=fall" in urls and "category=~none" in urls
    assert f"reported_from={YEAR - 1}" in urls
    assert "status=reported" in urls or params.get("track")
    if who == "manager_a":
        # A sibling unit's manager following the same links sees none of those reports.
        sibling = client_for(c.manager_b)
        for url, pks in seen.items():
            theirs, _count = listed(sibling, url)
            assert not theirs & pks, url


def test_no_link_where_the_register_cannot_filter_or_a_cell_is_hidden(board_data, login):
    c = board_data
    html = login(c.manager_a).get(STATS_URL, PERIOD).content.decode()
    urls = [url for url, _n in links_of(html)]
    # Lex Sarah and lex Maria are "fewer than 5" for her: no link opens them.
    assert not any("track=lex_sarah" in u or "track=lex_maria" in u for u in urls)
    table = html.split('id="table-kinds"', 1)[1].split("</table>", 1)[0]
    assert re.search(r'<td class="num count">färre än 5</td>', table)
    # Causes, notifications and "deviations" have no filter in the register.
    for section in ("table-causes", "table-notified", "figure-deviations"):
        if f'id="{section}"' in html:
            part = html.split(f'id="{section}"', 1)[1].split("</table>", 1)[0]
            assert "/deviations/?" not in part.split("</li>", 1)[0], section


def test_links_only_where_the_register_shows_the_same_units(board_data, login):
    """A board member at the department who manages unit A: the statistics cover the whole
    department, the register only unit A, so only unit A's counts link."""
    c = board_data
    both = _user("both", "Bea", "Båda")
    _assign(both, "board_member", c.dept, subtree=True)
    _assign(both, "unit_manager", c.unit_a, subtree=True)
    client = client_for(both)
    response = client.get(STATS_URL, {**PERIOD, "scope": c.dept.pk})
    page = response.context["page"]
    assert page.totals["reports"].current.value == 10
    assert page.totals["reports"].current.link is None
    by_name = {row.label: row for row in page.units}
    assert by_name["Enhet B"].current.link is None
    assert by_name["Enhet A"].current.link
    assert_links_list_their_rows(client, response.content.decode())


def test_no_links_for_a_board_member_who_may_not_open_the_register(board_data):
    c = board_data
    member = _user("ledamot", "Lena", "Ledamot")
    _assign(member, "board_member", c.board, subtree=True)
    html = client_for(member).get(STATS_URL, PERIOD).content.decode()
    assert "/deviations/?" not in html
    assert 'id="statistics-links"' not in html


# -- the kinds of event ----------------------------------------------------------------------------


def test_counts_per_kind_of_event_and_a_year_earlier(board_data, login):
    c = board_data
    response = login(c.quality).get(STATS_URL, PERIOD)
    current, previous = response.context["stats"], response.context["previous"]

    def counts(figures):
        return {(f.category.code if f.category else None): f.count for f in figures.categories}

    assert {k: v for k, v in counts(current).items() if v} == {
        "fall": 2,
        "medication": 1,
        None: 7,
    }
    assert {k: v for k, v in counts(previous).items() if v} == {"fall": 1, None: 3}
    rows = {row.key: row for row in response.context["page"].categories}
    assert rows["fall"].change == "+1 (+100\u00a0%)"
    assert rows["not-stated"].change == "+4 (+133\u00a0%)"
    # The kept counts follow a change of the kind of event.
    deviation = Deviation.objects.filter(category__code="medication").get()
    categorise(c, deviation, "fall")
    again = login(c.quality).get(STATS_URL, PERIOD).context["stats"]
    assert {k: v for k, v in counts(again).items() if v} == {"fall": 3, None: 7}
    # With a track chosen, the reports with that track.
    other = login(c.quality).get(STATS_URL, {**PERIOD, "track": "other"}).context["stats"]
    assert sum(f.count for f in other.categories) == other.reports == 3


# -- speed -----------------------------------------------------------------------------------------


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_units(cast, login):
    build_dataset(cast)
    client = login(cast.quality)

    def add_units(n):
        for i in range(n):
            unit = create_node(
                actor=None, kind=NodeKind.UNIT, name=f"Extra {i} {n}", parent=cast.dept
            )
            report_at(cast, unit, day(YEAR, 1 + i % 12), actor=cast.quality)
            report_at(cast, unit, day(YEAR - 1, 1 + i % 12), actor=cast.quality)

    def count():
        """(queries reading the kept counts, queries with the numbers kept)."""
        params = {**PERIOD, "scope": cast.dept.pk}
        client.get(STATS_URL, params)  # recounts what changed
        cache.clear()
        counts = []
        for _time in range(2):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(STATS_URL, params).status_code == 200
            counts.append(len(queries))
        return counts

    add_units(2)
    few = count()
    add_units(12)
    assert count() == few
    assert few[1] < few[0]
    page = client.get(STATS_URL, {**PERIOD, "scope": cast.dept.pk}).context["page"]
    assert len(page.units) == 2 + 2 + 12  # A, B and the new ones; the provider had nothing


def test_numbers_kept_between_requests_follow_the_register_and_the_scope(board_data, login):
    """The numbers read from the kept counts are kept until the counts change: the same page
    again reads fewer queries, another person's scope has its own numbers, and a new report
    shows at once."""
    c = board_data

    def page(user):
        with CaptureQueriesContext(connection) as queries:
            response = login(user).get(STATS_URL, PERIOD)
        return response.context["stats"], len(queries)

    first, reading = page(c.quality)
    again, kept = page(c.quality)
    assert again.reports == first.reports == 10
    assert kept < reading
    assert page(c.manager_a)[0].reports == 7
    classify(c, report_at(c, c.unit_b, day(YEAR, 11)), [TrackKind.OTHER])
    after, _queries = page(c.quality)
    assert after.reports == 11 and after.kind("other").count == 4
    assert page(c.manager_a)[0].reports == 7


def test_the_board_members_start_page_reads_the_kept_counts(board_data, login):
    c = board_data
    member = _user("ledamot", "Lena", "Ledamot")
    _assign(member, "board_member", c.board, subtree=True)
    client = login(member)
    year = timezone.localdate().year
    for month in (1, 2):
        classify(c, report_at(c, c.unit_a, day(year, month, 2)), [TrackKind.OTHER])
    start = reverse("shell:start")
    client.get(start)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(start)
    # Read now: the next request empties the log.
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    shown = {f.name: f.count for group in response.context["figure_groups"] for f in group.figures}
    statistics = client.get(STATS_URL).context["stats"]
    this_year = Deviation.objects.filter(reported_at__year=year).count()
    assert shown["analysis.reports_this_year"] == statistics.reports == this_year >= 2
    assert shown["analysis.deviations_this_year"] == statistics.deviations == 2
    # One sum of the kept yearly counts, not the statistics page's reading of tracks and causes.
    assert "analysis_reportcount" in sql
    assert "analysis_trackcount" not in sql and "analysis_causecount" not in sql
