"""Internal control in the yearly quality report (SOSFS 2011:9 5 kap 2 §; kommunallagen 6 kap
6 §): the board's plan of the year, its control points, reporting dates and results by outcome
and the actions made of them, counted by internal_control/report_figures.py. The plan is the
board's: a report of a part below a board shows that board's plan whole, a report of a part
above the boards adds up theirs. Self-inspection fills the first part of the chapter
(inspections/report_chapter.py). Registered in internal_control/registrations.py
(core/chapters.py)."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from core.chapters import Figure, Part, Table, share
from internal_control import report_figures
from internal_control.models import InternalControlPlan, Outcome, ReportingDate, Status
from organisation.models import NodeKind, OrgNode

# What a report of a part with no board gives: nothing to read (the same names as below).
FACTS = (
    "internal_control_plan_approved",
    "control_points_planned",
    "internal_control_reporting_dates",
    "internal_controls_done_share",
    "internal_controls_with_remark",
    "internal_controls_not_done",
    "internal_control_actions",
)


def boards_of(scope):
    """The boards whose plans cover the scope: the scope itself or its nearest board above it;
    for a part above every board, the boards below it."""
    above = (
        OrgNode.objects.filter(pk__in=scope.ancestor_ids(), kind=NodeKind.BOARD)
        .order_by("-depth")
        .first()
    )
    if above is not None:
        return [above]
    return list(OrgNode.objects.subtree_of(scope).filter(kind=NodeKind.BOARD).order_by("path"))


def _plan_line(board, plan, year):
    if plan is None:
        return _("%(board)s has no internal control plan for %(year)s.") % {
            "board": board.name,
            "year": year,
        }
    if plan.status != Status.APPROVED:
        return _("The plan of %(board)s for %(year)s is not approved by the board.") % {
            "board": board.name,
            "year": year,
        }
    return _("%(board)s approved its plan for %(year)s: %(decision)s.") % {
        "board": board.name,
        "year": year,
        "decision": plan.decision_text,
    }


def internal_control(scope, year):
    part = Part(heading=_("Internal control"))
    boards = boards_of(scope)
    if boards and scope.kind != NodeKind.BOARD and boards[0].pk in scope.ancestor_ids():
        # The plan is the board's: a part below it (a unit's report) is not judged by it.
        part.text = [
            _("The internal control plan is the board's: see the report of %(board)s.")
            % {"board": boards[0].name}
        ]
        part.facts = dict.fromkeys(FACTS)
        return part
    if not boards:
        part.text = [
            _("No board above or below this part of the organisation has a plan to count.")
        ]
        part.facts = dict.fromkeys(FACTS)
        return part
    counted = {board.pk: report_figures.figures(board, year) for board in boards}
    plans = {p.board_id: p for p in InternalControlPlan.objects.filter(board__in=boards, year=year)}
    dates = dict(
        ReportingDate.objects.filter(control_point__plan__in=plans.values())
        .order_by()
        .values_list("control_point__plan__board")
        .annotate(n=Count("pk"))
        .values_list("control_point__plan__board", "n")
    )
    points = sum(c["control_points_planned"] for c in counted.values())
    outcomes = {
        o: sum(c["results_by_outcome"][o] for c in counted.values()) for o in Outcome.values
    }
    actions = sum(c["actions_made"] for c in counted.values())
    due = sum(dates.values())
    carried_out = outcomes[Outcome.WITHOUT_REMARK] + outcomes[Outcome.WITH_REMARK]
    done_share = share(carried_out, due)
    listing = ""
    if len(boards) == 1:
        query = urlencode({"board": boards[0].pk, "year": year})
        listing = reverse("internal_control:list") + "?" + query

    part.text = [_plan_line(board, plans.get(board.pk), year) for board in boards]
    part.figures = [
        Figure(_("Control points planned"), points, url=listing),
        Figure(_("Reporting dates"), due),
        Figure(_("Results recorded"), sum(outcomes.values())),
        Figure(_("Reporting dates without a result"), due - sum(outcomes.values())),
        Figure(
            _("Share of the controls carried out"),
            done_share,
            share=True,
            note=_("%(done)s of %(all)s reporting dates, with or without remark")
            % {"done": carried_out, "all": due},
        ),
        Figure(_("Actions made of the results"), actions),
    ]
    part.tables = [
        Table(
            caption=_("Results per outcome"),
            columns=[_("Result"), _("Results")],
            rows=[[label, outcomes[value]] for value, label in Outcome.choices],
        )
    ]
    if len(boards) > 1:
        part.tables.append(
            Table(
                caption=_("Per board"),
                columns=[_("Board"), _("Control points"), _("Reporting dates"), _("Actions")],
                rows=[
                    [
                        board.name,
                        counted[board.pk]["control_points_planned"],
                        dates.get(board.pk, 0),
                        counted[board.pk]["actions_made"],
                    ]
                    for board in boards
                ],
            )
        )
    approved = all(plans.get(b.pk) and plans[b.pk].status == Status.APPROVED for b in boards)
    part.facts = {
        "internal_control_plan_approved": int(approved),
        "control_points_planned": points,
        "internal_control_reporting_dates": due,
        "internal_controls_done_share": done_share,
        "internal_controls_with_remark": outcomes[Outcome.WITH_REMARK],
        "internal_controls_not_done": outcomes[Outcome.NOT_DONE],
        "internal_control_actions": actions,
    }
    return part
