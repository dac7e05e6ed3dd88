"""Object URLs of the internal control: the board's plan (approved, with a control point and a
report), its reporting date and report. The plan belongs to the board above unit A."""

from datetime import date

from internal_control.models import ControlMethod, InternalControlPlan
from internal_control.services.plans import add_control_point, approve_plan, create_plan
from internal_control.services.results import create_report


def _plan(c):
    plan = InternalControlPlan.objects.filter(board=c.board).first()
    if plan is not None:
        return plan
    plan = create_plan(actor=None, board=c.board, year=2026)
    add_control_point(
        plan,
        actor=None,
        what="Akter granskas",
        method=ControlMethod.objects.get(code="sampling"),
        frequency="once",
        responsible=c.manager_a,
        reporting_dates=[date(2026, 10, 31)],
    )
    approve_plan(
        plan, actor=None, decision_paragraph="1", diary_number="SN 1", decided_on=date(2026, 1, 1)
    )
    create_report(plan, actor=None, period="year")
    return plan


def _p(c):
    return {"pk": _plan(c).pk}


def _point(c):
    return {"pk": _plan(c).control_points.first().pk}


def _date(c):
    return {"pk": _plan(c).control_points.first().reporting_dates.first().pk}


def _report(c):
    return {"pk": _plan(c).reports.first().pk}


OBJECT_URLS = {
    "internal_control:detail": (_p, "get", True),
    "internal_control:draft": (_p, "get", True),
    "internal_control:point_add": (_p, "get", True),
    "internal_control:point_edit": (_point, "get", True),
    "internal_control:point_remove": (_point, "post", True),
    "internal_control:approve": (_p, "get", True),
    "internal_control:reopen": (_p, "get", True),
    "internal_control:plan_pdf": (_p, "get", True),
    "internal_control:plan_docx": (_p, "get", True),
    "internal_control:result": (_date, "get", True),
    "internal_control:report_create": (_p, "get", True),
    "internal_control:report": (_report, "get", True),
    "internal_control:report_approve": (_report, "get", True),
    "internal_control:report_reopen": (_report, "get", True),
    "internal_control:report_pdf": (_report, "get", True),
    "internal_control:report_docx": (_report, "get", True),
}
