"""The risk analyses' statistics page (risks/views/statistics.py) and the figures it reads
(risks/report_figures.py): exact figures on a small dataset made through the services, scope,
the drill-down links to the register, and a fixed number of queries."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Status as ActionStatus
from actions.services import change_status
from risks import report_figures
from risks.models import RiskAnalysis
from risks.services.events import add_event, score_residual
from risks.services.measures import add_measure
from risks.services.participants import add_participant
from tests.risks_helpers import board_member, function, later, make_analysis

URL = reverse("risks:statistics")
LINK = re.compile(r'<a href="([^"]+)" data-count="(\d+)">')


@pytest.fixture
def this_year(today):
    return today.year


def _dataset(cast, this_year):
    """Unit A: three analyses of the year (one with its manager, one of health care without a
    nurse, one of technology with a high and a low event and two measures, one done), one of
    last year; unit B: one analysis of technology with a high event."""
    complete = make_analysis(cast, title="Med chef")
    add_participant(complete, actor=None, name="Maja", function=function("unit_manager"))
    make_analysis(cast, title="Utan sjuksköterska", health_care_in_scope=True)
    tech = make_analysis(cast, title="Digital signering", subject_kind="technology")
    add_participant(tech, actor=None, name="Maja", function=function("unit_manager"))
    high = add_event(tech, actor=None, description="Fel dos", likelihood=2, consequence=4)
    add_event(tech, actor=None, description="Sen dos", likelihood=1, consequence=2)
    score_residual(high, actor=None, likelihood=1, consequence=2)
    done = add_measure(
        tech,
        actor=None,
        event=high,
        title="Dubbelsignering",
        owner=cast.manager_a,
        due_date=later(),
    )
    add_measure(tech, actor=None, title="Utbildning", owner=cast.manager_a, due_date=later())
    change_status(done, ActionStatus.IN_PROGRESS, actor=None)
    change_status(done, ActionStatus.DONE, actor=None)
    old = make_analysis(cast, title="Förra året")
    add_event(old, actor=None, description="Fall", likelihood=4, consequence=4)
    # Local time: in the first hour of 1 January the UTC year is still the old one.
    RiskAnalysis.objects.filter(pk=old.pk).update(
        created_at=timezone.localtime().replace(year=this_year - 1)
    )
    other = make_analysis(
        cast, actor=cast.parent_manager, unit=cast.unit_b, subject_kind="technology", title="B"
    )
    add_event(other, actor=None, description="Brand", likelihood=3, consequence=3)
    return tech


def _links(html):
    return [(unescape(href), int(n)) for href, n in LINK.findall(html)]


def _register_rows(client, href):
    html = client.get(href).content.decode()
    return len(re.findall(r'<tr data-pk="\d+">', html))


def test_the_figures_per_subtree_year_and_scope(cast, this_year):
    _dataset(cast, this_year)
    unit = report_figures.analyses_made(cast.unit_a, this_year)
    assert (unit.total, unit.with_required_functions, unit.without_required_functions) == (3, 2, 1)
    assert unit.functions_by_subject["staffing_change"] == (1, 1)
    assert unit.functions_by_subject["technology"] == (1, 0)
    assert report_figures.heat_counts(cast.unit_a, this_year) == {
        "before": {(2, 4): 1, (1, 2): 1},
        "after": {(1, 2): 1},
    }
    assert report_figures.measures(cast.unit_a, this_year) == {"made": 2, "done": 1}
    rows = report_figures.by_unit(cast.dept, this_year)
    assert [(r.node.name, r.analyses, r.high, r.measures) for r in rows] == [
        ("Enhet A", 3, 1, 2),
        ("Enhet B", 1, 1, 0),
        ("Utföraren", 0, 0, 0),
    ]
    assert report_figures.trend(cast.unit_a, [this_year - 1, this_year]) == {
        this_year - 1: (1, 1),
        this_year: (3, 1),
    }
    assert report_figures.events_by_level_in(cast.dept, [this_year - 1, this_year]) == {
        this_year - 1: {"before": {"high": 1}, "after": {}},
        this_year: {"before": {"high": 2, "low": 1}, "after": {"low": 1}},
    }
    both = report_figures.analyses_made_in(cast.dept, [this_year - 1, this_year])
    assert (both[this_year - 1].total, both[this_year].total) == (1, 4)
    assert both[this_year].functions_by_subject["technology"] == (1, 1)
    # Within the analyses a person may see: unit B's are not counted for unit A's manager.
    within = RiskAnalysis.objects.visible_to(cast.manager_a)
    assert report_figures.analyses_made(cast.dept, this_year, within).total == 3
    assert report_figures.trend(cast.dept, [this_year], within) == {this_year: (3, 1)}


@pytest.mark.parametrize("who", ["all", "manager_a"])
@pytest.mark.parametrize("node", ["dept", "unit_a", "board"])
def test_the_pages_one_reading_gives_the_report_figures(cast, who, node, this_year):
    """The statistics page counts from one reading of the rows (risks/statistics_data.py):
    every figure equals report_figures' for the same node, years and scope."""
    from organisation.models import OrgNode
    from risks.statistics_data import Snapshot

    _dataset(cast, this_year)
    node = getattr(cast, node)
    within = None if who == "all" else RiskAnalysis.objects.visible_to(cast.manager_a)
    years = [this_year - 2, this_year - 1, this_year]
    snap = Snapshot(node, years, within)
    assert snap.analyses_made_in(years) == report_figures.analyses_made_in(node, years, within)
    assert snap.events_by_level_in(years) == report_figures.events_by_level_in(node, years, within)
    level = report_figures.high_level(node)
    for year in years:
        assert snap.heat_counts(year) == report_figures.heat_counts(node, year, within)
        assert snap.measures(year) == report_figures.measures(node, year, within)
        assert snap.by_unit(year, level, OrgNode.objects.all()) == report_figures.by_unit(
            node, year, within, level=level
        )
    assert snap.analyses_made_in([this_year])[this_year].total > 0 or node == cast.board
    # The earlier years of the trend: two numbers a year, grouped in the database.
    early = make_analysis(cast, title="För tre år sedan")
    add_event(early, actor=None, description="Fall", likelihood=4, consequence=4)
    RiskAnalysis.objects.filter(pk=early.pk).update(
        created_at=timezone.localtime().replace(year=this_year - 3)
    )
    trend = [this_year - 4, this_year - 3, *years]
    snap = Snapshot(node, years[1:], within, trend_years=trend)
    made = report_figures.analyses_made_in(node, trend, within)
    levels = report_figures.events_by_level_in(node, trend, within)
    for year in trend:
        assert snap.made_total(year) == made[year].total
        assert snap.events_before(year, level) == levels[year]["before"].get(level, 0)
    assert snap.made_total(this_year - 3) > 0 or node == cast.board


def test_a_person_without_the_key_is_refused(cast, login):
    assert login(cast.same_unit).get(URL).status_code == 403


def test_a_unit_manager_sees_exactly_the_units_figures(cast, login, this_year):
    _dataset(cast, this_year)
    client = login(cast.manager_a)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["node"] == cast.unit_a and response.context["year"] == this_year
    made = response.context["made"]
    assert (made.total, made.with_required_functions, made.without_required_functions) == (3, 2, 1)
    assert response.context["measures"] == {"made": 2, "done": 1}
    rows = {r["code"]: (r["before"], r["after"]) for r in response.context["level_rows"]}
    assert rows == {"high": (1, 0), "medium": (0, 0), "low": (1, 1)}
    assert response.context["not_rescored"] == 1
    assert 'id="stat-heat-map"' in html and 'data-level="high" data-count="1"' in html
    trend = {y: (n, high) for y, n, high, _link in response.context["trend"]}
    assert (
        trend[this_year] == (3, 1)
        and trend[this_year - 1] == (1, 1)
        and trend[this_year - 4] == (0, 0)
    )
    compare = [(a, b, c) for _label, a, b, c in response.context["comparison"]]
    assert compare[0] == (1, 3, 2)  # risk analyses made: last year, this year, the change
    assert compare[4] == (1, 1, 0)  # events at the highest level
    # Unit B's analysis ("B", a fire of value 9) is never counted, nor its part of the tree.
    assert "Enhet B" not in html
    sibling = client.get(URL, {"node": cast.dept.pk, "year": this_year})
    assert sibling.context["node"] == cast.unit_a and sibling.context["made"].total == 3


def test_a_board_member_sees_the_whole_tree_and_the_units_below(cast, login, this_year):
    _dataset(cast, this_year)
    client = login(board_member(cast))
    response = client.get(URL, {"node": cast.dept.pk, "year": this_year})
    assert response.status_code == 200
    assert response.context["made"].total == 4
    assert response.context["made"].by_subject["technology"] == 2
    units = [(r.node.name, r.analyses, r.high, r.measures) for r in response.context["unit_rows"]]
    assert units == [("Enhet A", 3, 1, 2), ("Enhet B", 1, 1, 0)]
    assert response.context["zero_units"] == ["Utföraren"]
    html = response.content.decode()
    units_section = html.split('id="units-heading"')[1].split("</section>")[0]
    assert units_section.count("Utföraren") == 1  # named once, in one line
    assert "Utföraren." in units_section.split('id="stat-zero-units"')[1]
    last_year = client.get(URL, {"node": cast.dept.pk, "year": this_year - 1})
    assert last_year.context["made"].total == 1


def test_every_count_links_to_the_register_with_exactly_those_rows(cast, login, this_year):
    _dataset(cast, this_year)
    for who in (cast.manager_a, board_member(cast)):
        client = login(who)
        node = cast.unit_a if who == cast.manager_a else cast.dept
        links = _links(client.get(URL, {"node": node.pk, "year": this_year}).content.decode())
        assert len(links) >= 6
        for href, figure in links:
            assert href.startswith(reverse("risks:register") + "?")
            assert _register_rows(client, href) == figure, href


def test_the_register_filters_by_year_part_of_the_tree_and_functions(cast, login, this_year):
    _dataset(cast, this_year)
    client = login(cast.parent_manager)
    register = reverse("risks:register")
    assert _register_rows(client, f"{register}?year={this_year}") == 4
    assert _register_rows(client, f"{register}?year={this_year - 1}") == 1
    assert _register_rows(client, f"{register}?node={cast.unit_b.pk}") == 1
    assert _register_rows(client, f"{register}?year={this_year}&functions=missing") == 2
    page = client.get(f"{register}?node={cast.unit_b.pk}").content.decode()
    assert "Only Enhet B and the units below." in page or "Enhet B" in page
    # A node outside the person's tree is not named and gives no rows.
    other = client.get(f"{register}?node={cast.other_root_node.pk}").content.decode()
    assert 'id="risk-part"' not in other
    assert 'id="risk-statistics"' in client.get(register).content.decode()


def _more_rows(cast, n):
    for i in range(n):
        unit = cast.unit_a if i % 2 else cast.unit_b
        actor = cast.manager_a if unit == cast.unit_a else cast.parent_manager
        analysis = make_analysis(cast, actor=actor, unit=unit, title=f"Fler {i}")
        add_participant(analysis, actor=None, name="Maja", function=function("unit_manager"))
        event = add_event(analysis, actor=None, description="Fall", likelihood=4, consequence=3)
        score_residual(event, actor=None, likelihood=1, consequence=1)
        add_measure(analysis, actor=None, title="Larm", owner=cast.manager_a, due_date=later())


def test_the_page_reads_a_fixed_number_of_queries(cast, login, this_year):
    _dataset(cast, this_year)
    client = login(board_member(cast))
    query = {"node": cast.dept.pk, "year": this_year}
    client.get(URL, query)  # warm the caches (content types, permissions)
    cache.clear()  # counted, not read from the figures kept
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, query).status_code == 200
    _more_rows(cast, 6)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, query)
    assert response.context["made"].total == 10
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_figures_are_kept_until_what_they_count_changes(cast, login, this_year):
    """A second visit reads the kept counts (no risk rows); any change of an analysis, an
    event, a participant or a measure is counted on the next visit, for everyone."""
    tech = _dataset(cast, this_year)
    query = {"node": cast.dept.pk, "year": this_year}
    nils, parent = login(board_member(cast)), login(cast.parent_manager)
    assert nils.get(URL, query).context["events_total"] == 3
    with CaptureQueriesContext(connection) as second:
        assert parent.get(URL, query).context["events_total"] == 3
    assert not [q for q in second.captured_queries if "risks_riskevent" in q["sql"]]
    add_event(tech, actor=None, description="Ny händelse", likelihood=1, consequence=1)
    assert nils.get(URL, query).context["events_total"] == 4
    assert nils.get(URL, query).context["made"].with_required_functions == 2
    add_participant(
        make_analysis(cast, title="Senare"),
        actor=None,
        name="Maja",
        function=function("unit_manager"),
    )
    assert parent.get(URL, query).context["made"].with_required_functions == 3
    measure = add_measure(
        tech, actor=None, title="Ny rutin", owner=cast.manager_a, due_date=later()
    )
    assert nils.get(URL, query).context["measures"]["made"] == 3
    change_status(measure, ActionStatus.IN_PROGRESS, actor=None)
    change_status(measure, ActionStatus.DONE, actor=None)
    assert parent.get(URL, query).context["measures"] == {"made": 3, "done": 2}
    # A change of this year counts this year again, not the years before it ...
    add_event(tech, actor=None, description="Ännu en", likelihood=1, consequence=1)
    with CaptureQueriesContext(connection) as recount:
        assert parent.get(URL, query).context["events_total"] == 5
    counted = " ".join(q["sql"] for q in recount.captured_queries)
    assert "risks_riskevent" in counted and 'COUNT("risks_riskanalysis"' not in counted
    # ... and a change of last year's analysis is seen in last year's figures.
    old = RiskAnalysis.objects.get(title="Förra året")
    add_event(old, actor=None, description="Halka", likelihood=1, consequence=1)
    comparison = nils.get(URL, query).context["comparison"]
    assert comparison[3][1] == 2  # events assessed, last year


def test_people_who_see_less_are_not_given_the_kept_figures_of_those_who_see_more(
    cast, login, this_year
):
    _dataset(cast, this_year)
    query = {"node": cast.dept.pk, "year": this_year}
    assert login(cast.parent_manager).get(URL, query).context["made"].total == 4
    # Unit A's manager, asking for the department she may see only a part of.
    made = login(cast.manager_a).get(URL, query).context.get("made")
    assert made is None or made.total == 3
