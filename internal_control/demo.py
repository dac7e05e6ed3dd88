"""Demo internal control plans for `load_demo`, made through the services (idempotent).

Socialnämnden's plan for this year, approved with § and Dnr, with results for the reporting
dates that have passed (one with remark and an action, one date left overdue), and last year's
plan with its yearly report approved. The control points are drafted from the board's yearly
risk- och väsentlighetsanalys when the demo has one; the risks demo makes none today, so the
points are then made without a risk event. Marked as examples an organisation edits.
"""

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from internal_control.models import ControlMethod, Frequency, InternalControlPlan, Outcome, Period
from internal_control.services.plans import (
    add_control_point,
    analysis_events,
    approve_plan,
    create_plan,
    draft_from_analysis,
    yearly_analyses,
)
from internal_control.services.results import approve_report, create_report, record_result
from organisation.models import OrgNode

# (what, method code, frequency, responsible username)
POINTS = [
    (
        "Genomförandeplaner finns och är uppföljda inom hemtjänsten (exempel)",
        "sampling",
        Frequency.TERTIAL,
        "eva",
    ),
    (
        "Delegeringar för läkemedelshantering är giltiga och följs upp (exempel)",
        "review",
        Frequency.TERTIAL,
        "adam",
    ),
    (
        "Avvikelser och lex Sarah-rapporter utreds inom fastställd tid (exempel)",
        "analysis",
        Frequency.TERTIAL,
        "adam",
    ),
    (
        "Medarbetare känner till skyldigheten att rapportera enligt lex Sarah (exempel)",
        "interview",
        Frequency.ONCE,
        "eva",
    ),
]


def _methods():
    return {m.code: m for m in ControlMethod.objects.all()}


def _points(plan, people, year):
    methods = _methods()
    for what, code, frequency, username in POINTS:
        dates = (
            [date(year, 4, 30), date(year, 8, 31), date(year, 12, 31)]
            if frequency == Frequency.TERTIAL
            else [date(year, 10, 31)]
        )
        add_control_point(
            plan,
            actor=None,
            what=what,
            method=methods[code],
            frequency=frequency,
            responsible=people[username],
            reporting_dates=dates,
        )


def _draft(plan, people, board):
    """From the board's yearly analysis if there is one; True when drafted."""
    analysis = yearly_analyses(board).first()
    if analysis is None:
        return False
    method = _methods()["sampling"]
    choices = [
        {
            "event": event,
            "what": event.description,
            "method": method,
            "frequency": Frequency.TERTIAL,
            "responsible": people["eva"],
        }
        for event in analysis_events(analysis)
        if event.is_high
    ]
    if not choices:
        return False
    draft_from_analysis(plan, actor=None, analysis=analysis, choices=choices)
    return True


def _results(plan, people, today, leave_open=True):
    """Results for the reporting dates before today: the first point's second date with remark
    and an action; the last open date left overdue (when `leave_open`)."""
    rows = [
        d
        for point in plan.control_points.order_by("position")
        for d in point.reporting_dates.order_by("due_on")
        if d.due_on < today and not hasattr(d, "result")
    ]
    if leave_open and rows:
        rows = rows[:-1]
    for index, row in enumerate(rows):
        point = row.control_point
        if index == 1:
            record_result(
                row,
                actor=None,
                outcome=Outcome.WITH_REMARK,
                comment="I 3 av 20 granskade akter saknades uppföljning av genomförandeplanen.",
                action={
                    "unit": OrgNode.objects.get(name="Hemtjänst Norr"),
                    "title": "Följ upp genomförandeplanerna som saknade uppföljning",
                    "owner": point.responsible,
                    "due_date": today + timedelta(days=30),
                },
            )
        elif index == 2:
            record_result(
                row,
                actor=None,
                outcome=Outcome.NOT_DONE,
                comment="Granskningen flyttades på grund av sjukfrånvaro.",
            )
        else:
            record_result(row, actor=None, outcome=Outcome.WITHOUT_REMARK, comment="")


def load_demo_internal_control():
    board = OrgNode.objects.filter(name="Socialnämnden").first()
    people = {u.username: u for u in User.objects.filter(username__in=["eva", "adam"])}
    if board is None or len(people) < 2:
        return
    today = timezone.localdate()
    year = today.year
    if not InternalControlPlan.objects.filter(board=board, year=year - 1).exists():
        last = create_plan(actor=None, board=board, year=year - 1, is_example=True)
        _points(last, people, year - 1)
        approve_plan(
            last,
            actor=None,
            decision_paragraph="18",
            diary_number=f"SN {year - 2}/212",
            decided_on=date(year - 2, 12, 14),
        )
        _results(last, people, date(year, 1, 31), leave_open=False)
        report = create_report(
            last,
            actor=None,
            period=Period.YEAR,
            summary=(
                "Kontrollerna har i huvudsak genomförts enligt planen. En anmärkning gällde "
                "uppföljning av genomförandeplaner; en åtgärd är beslutad. Exempel att anpassa."
            ),
        )
        approve_report(
            report,
            actor=None,
            decision_paragraph="24",
            diary_number=f"SN {year - 1}/31",
            decided_on=date(year, 2, 20),
        )
    if not InternalControlPlan.objects.filter(board=board, year=year).exists():
        plan = create_plan(actor=None, board=board, year=year, is_example=True)
        if not _draft(plan, people, board):
            _points(plan, people, year)
        approve_plan(
            plan,
            actor=None,
            decision_paragraph="12",
            diary_number=f"SN {year - 1}/198",
            decided_on=date(year - 1, 12, 12),
        )
        _results(plan, people, today)
