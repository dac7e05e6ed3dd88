"""The start page as a dashboard: each person's figures, each the row count of the list it links
to; the menu in groups; a fixed number of queries whatever the amount of data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.services import create_action
from analysis import services as analysis_services
from core import surfaces
from deviations import services
from deviations.models import Clock
from legal.rules import TrackKind
from routines.models import Routine
from routines.services.draft import create_routine
from routines.services.review import submit_for_review
from tests.cast import _assign, _user
from tests.routines_s_helpers import routine_in_force

START = reverse("shell:start")


def _report(cast, unit=None, actor=None):
    return services.report(
        actor=actor or cast.same_unit,
        unit=unit or cast.unit_a,
        occurred_at=timezone.now() - timedelta(hours=1),
        description="Brukaren föll i badrummet.",
        immediate_action="Sjuksköterska tillkallades.",
        service_user_affected="no",
    )


def _action(cast, owner, days, title="Åtgärd"):
    action = create_action(
        actor=None,
        unit=cast.unit_a,
        title=title,
        owner=owner,
        due_date=timezone.localdate() + timedelta(days=max(days, 0)),
    )
    if days < 0:  # past its date: moved there as time would have moved it
        Action.objects.filter(pk=action.pk).update(
            due_date=timezone.localdate() + timedelta(days=days)
        )
    return action


def _board_member(cast):
    nils = _user("board_member", "Nils", "Nämnd")
    _assign(nils, "board_member", cast.board, subtree=True)
    return nils


def build(cast, n=1):
    """n of everything a figure counts, in unit A (and a report in unit B)."""
    for i in range(n):
        _report(cast)
        _report(cast, unit=cast.unit_b, actor=cast.sibling)
        late = _report(cast)
        services.triage(
            late, actor=cast.manager_a, kinds=[TrackKind.OTHER], investigators=[cast.manager_a]
        )
        Clock.objects.filter(deviation=late, met_at__isnull=True).update(
            due_at=timezone.now() - timedelta(hours=2)
        )
        on_time = _report(cast)
        services.triage(on_time, actor=cast.manager_a, kinds=[TrackKind.OTHER])
        _action(cast, cast.same_unit, -3, f"Sen {i}")
        _action(cast, cast.same_unit, 10, f"I tid {i}")
        _action(cast, cast.manager_a, -1, f"Chefens {i}")
        routine = routine_in_force(cast, title=f"Rutin {i}")
        Routine.objects.filter(pk=routine.pk).update(
            next_review_on=timezone.localdate() - timedelta(days=5)
        )
        draft = create_routine(
            actor=cast.manager_a,
            unit=cast.unit_a,
            title=f"Utkast {i}",
            owner=cast.manager_a,
            body="<p>Nytt utkast.</p>",
        )
        submit_for_review(draft.versions.get(), actor=cast.manager_a, reviewers=[cast.same_unit])
        _feedback(cast, i)
        analysis_services.create_analysis(
            actor=cast.quality,
            scope=cast.administration,
            title=f"Analys {i}",
            period_from=timezone.localdate().replace(month=1, day=1),
            period_to=timezone.localdate(),
            findings="Fall i hemmet ökar.",
        )


def _feedback(cast, i):
    """Feedback to confirm, one past its target, one held as abuse."""
    from feedback.models import Feedback
    from feedback.services.intake import submit
    from tests.feedback_helpers import fields

    submit(fields=fields(about=cast.unit_a, description=f"Klagomål {i}"))
    late, _token = submit(fields=fields(about=cast.unit_a, description=f"Sent {i}"))
    Feedback.objects.filter(pk=late.pk).update(acknowledge_due=timezone.now() - timedelta(days=1))
    submit(fields=fields(about=None, description=f"Fångad {i}"), trapped=True)


def _inbox(key, overdue=False):
    def rows(response):
        section = {s.key: s for s in response.context["sections"]}.get(key)
        items = section.items if section is not None else []
        return sum(1 for item in items if item.overdue) if overdue else len(items)

    return rows


def _paginated(response):
    return response.context["page"].paginator.count


# For every registered figure: the rows of the page its link opens.
ROWS = {
    "deviations.to_classify": _paginated,
    "deviations.deadlines": _inbox("clocks"),
    "deviations.deadlines_passed": _inbox("clocks", overdue=True),
    "deviations.investigations": _inbox("investigations"),
    "routines.to_acknowledge": lambda r: len(r.context["results"]),
    "routines.drafts_to_review": _inbox("routine_reviewer"),
    "routines.in_review": _paginated,
    "routines.reviews_overdue": lambda r: len(r.context["overdue"]),
    "legal.units_without_laws": lambda r: len(r.context["rows"]),
    "actions.mine": _paginated,
    "actions.mine_overdue": _paginated,
    "actions.overdue": _paginated,
    "analysis.waiting_for_decision": lambda r: len(r.context["analyses"]),
    "analysis.reports_this_year": lambda r: r.context["stats"].reports,
    "analysis.deviations_this_year": lambda r: r.context["stats"].deviations,
    "risks.waiting": _paginated,
    "risks.reviews_overdue": _paginated,
    "inspections.overdue": _paginated,
    "inspections.due_soon": _paginated,
    "internal_control.mine_overdue": lambda r: len(r.context["rows"]),
    "feedback.unacknowledged": _paginated,
    "feedback.late": _paginated,
    "feedback.held": _paginated,
    "reports.to_write": _paginated,
    "reports.to_judge": _paginated,
    "reports.to_review": lambda r: len(r.context["reports"]),
}


def figures(response):
    return {f.name: f for group in response.context["figure_groups"] for f in group.figures}


def test_every_figure_is_checked_against_its_list():
    assert {f.name for f in surfaces.start_figures()} == set(ROWS)


def test_the_registry_checks_its_groups_and_tones_and_replaces_by_name():
    with pytest.raises(ValueError):
        surfaces.start_figure("x", None, "X", len, "shell:start", group="nowhere", order=1)
    with pytest.raises(ValueError):
        surfaces.start_figure("x", None, "X", len, "shell:start", group="start", order=1, tone="?")
    before = len(surfaces.start_figures())
    original = surfaces._FIGURES["legal.units_without_laws"]
    try:
        surfaces.start_figure(
            "legal.units_without_laws", None, "X", len, "shell:start", group="start", order=1
        )
        assert len(surfaces.start_figures()) == before
        assert surfaces.start_figures()[0].keys == ()
    finally:
        surfaces._FIGURES["legal.units_without_laws"] = original
    for figure in surfaces.start_figures():
        reverse(figure.url_name)
        assert figure.group in surfaces.MENU_GROUPS


def test_shared_counts_are_read_once_per_start_page_and_afresh_outside_it(cast):
    calls = []

    def compute(user):
        calls.append(1)
        return len(calls)

    with surfaces.figure_round(cast.same_unit):
        assert surfaces.shared_count(cast.same_unit, "n", compute) == 1
        assert surfaces.shared_count(cast.same_unit, "n", compute) == 1
    assert surfaces.shared_count(cast.same_unit, "n", compute) == 2
    assert "_hjulet_figure_memo" not in cast.same_unit.__dict__


@pytest.mark.parametrize(
    "who",
    ["manager_a", "parent_manager", "quality", "same_unit", "board", "log_reviewer", "admin"],
)
def test_each_figure_is_the_row_count_of_the_list_it_opens(cast, login, who):
    board = _board_member(cast)
    build(cast, n=2)
    user = board if who == "board" else getattr(cast, who)
    client = login(user)
    shown = figures(client.get(START))
    assert shown, f"{who} sees no figure"
    for name, figure in shown.items():
        response = client.get(figure.url)
        assert response.status_code == 200, (who, name, figure.url)
        assert ROWS[name](response) == figure.count, (who, name, figure.url)


def test_what_needs_each_person(cast, login):
    board = _board_member(cast)
    build(cast, n=2)
    counts = {}
    for who, user in [
        ("staff", cast.same_unit),
        ("manager", cast.manager_a),
        ("board", board),
        ("outsider", cast.outsider),
    ]:
        counts[who] = {n: f.count for n, f in figures(login(user).get(START)).items()}
    # The care worker: routines to acknowledge, drafts to comment on, her own actions.
    assert counts["staff"] == {
        "routines.to_acknowledge": 2,
        "routines.drafts_to_review": 2,
        "actions.mine": 4,
        "actions.mine_overdue": 2,
    }
    # The unit manager: reports of unit A to classify, a deadline passed, an investigation, the
    # routines in review and past their review date, overdue actions in the unit.
    manager = counts["manager"]
    assert manager["deviations.to_classify"] == 2  # unit A's; unit B's are not hers
    assert manager["deviations.deadlines_passed"] == 2
    assert manager["deviations.deadlines"] == 4
    assert manager["deviations.investigations"] == 2
    assert manager["routines.in_review"] == 2
    assert manager["routines.reviews_overdue"] == 2
    assert manager["actions.overdue"] == 4
    assert manager["actions.mine_overdue"] == 2
    assert "analysis.reports_this_year" not in manager  # hers are in the statistics
    # The board: the analyses to decide and the year's figures, nothing to classify.
    board_counts = counts["board"]
    assert board_counts["analysis.waiting_for_decision"] == 2
    assert board_counts["analysis.reports_this_year"] == 8
    assert not any(name.startswith(("deviations.", "actions.")) for name in board_counts)
    # No role: no figures, and the page says how to get one.
    assert counts["outsider"] == {}


def test_a_zero_is_calm_and_the_page_says_nothing_waits(cast, login):
    response = login(cast.same_unit).get(START)
    html = response.content.decode()
    assert {n: f.count for n, f in figures(response).items()} == {"routines.to_acknowledge": 0}
    assert 'id="nothing-waiting"' in html
    assert "figure--zero" in html
    response = login(cast.manager_a).get(START)
    assert figures(response)["deviations.to_classify"].count == 0
    assert 'id="nothing-waiting"' not in response.content.decode()  # unit A states no laws
    # Staff who own no action see no action figure at all (their list would refuse them).
    assert not any(n.startswith("actions.") for n in figures(login(cast.same_unit).get(START)))


def test_the_start_page_still_leads_to_my_tasks_and_the_cards(cast, login):
    response = login(cast.same_unit).get(START)
    urls = [s["url"] for s in response.context["sections"]]
    assert reverse("notifications:inbox") in urls
    assert reverse("deviations:report") in urls
    assert 'id="go-to-heading"' in response.content.decode()


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(START).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["manager_a", "quality", "board"])
def test_the_start_page_reads_a_fixed_number_of_queries(cast, login, who):
    board = _board_member(cast)
    user = board if who == "board" else getattr(cast, who)
    client = login(user)
    build(cast, n=1)
    _queries(client)  # the statistics' kept counts are built on the first read
    few = _queries(client)
    build(cast, n=4)
    _queries(client)
    many = _queries(client)
    assert many == few, f"{few} queries with little data, {many} with more"
    assert few <= 50


def test_the_menu_is_grouped_and_shows_only_groups_with_an_entry(cast, login):
    response = login(cast.same_unit).get(START)
    groups = {g.key: g for g in response.context["menu_groups"]}
    # A care worker may only look at the organisation there: a plain link, no disclosure.
    assert [i["url"] for i in groups["administration"].items] == [reverse("organisation:tree")]
    assert groups["administration"].single
    assert list(groups)[0] == "start" and groups["start"].active
    assert list(groups)[:2] == ["start", "report"]
    html = response.content.decode()
    assert html.count('<details class="menu-disclosure"') == sum(
        1 for g in groups.values() if not (g.open or g.single)
    )
    admin = {g.key: g for g in login(cast.admin).get(START).context["menu_groups"]}
    assert len(admin["administration"].items) > 1
    assert reverse("accounts:users") in [i["url"] for i in admin["administration"].items]
    # The board member reports nothing: no "Report" group at all.
    board = _board_member(cast)
    assert "report" not in {g.key for g in login(board).get(START).context["menu_groups"]}
    outsider = login(cast.outsider).get(START).context["menu_groups"]
    assert [g.key for g in outsider] == ["start"]


def test_the_current_page_is_marked_in_its_group(cast, login):
    response = login(cast.manager_a).get(reverse("deviations:list"))
    current = [g for g in response.context["menu_groups"] if g.active]
    assert [g.key for g in current] == ["deviations"]
    html = response.content.decode()
    assert html.count('aria-current="page"') >= 1
    response = login(cast.admin).get(reverse("accounts:users"))
    (group,) = [g for g in response.context["menu_groups"] if g.active]
    assert group.key == "administration"
    assert 'class="menu-group menu-group--current"' in response.content.decode()


def test_a_decided_analysis_leaves_the_figure_and_the_filtered_list(cast, login):
    board = _board_member(cast)
    build(cast, n=2)
    decided = analysis_services.create_analysis(
        actor=cast.quality,
        scope=cast.administration,
        title="Beslutad",
        period_from=timezone.localdate().replace(month=1, day=1),
        period_to=timezone.localdate(),
        findings="Färre fall.",
    )
    analysis_services.decide_analysis(
        decided,
        actor=cast.quality,
        decision_body="Socialnämnden",
        decision_date=timezone.localdate(),
        paragraph="18",
        registry_number="SN 2026/1",
    )
    client = login(board)
    figure = figures(client.get(START))["analysis.waiting_for_decision"]
    assert figure.count == 2
    waiting = client.get(figure.url)
    assert decided not in list(waiting.context["analyses"])
    assert 'id="analysis-filter"' in waiting.content.decode()
    everything = client.get(reverse("analysis:analyses"))
    assert len(everything.context["analyses"]) == 3
