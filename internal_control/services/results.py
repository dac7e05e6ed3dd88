"""Results of the control points, with actions for remarks, and the reports to the board."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.services import create_action
from audit.services import record_event
from core.once import save_once
from internal_control.models import (
    REPORT_TRANSITIONS,
    ControlResult,
    InternalControlPlan,
    InternalControlReport,
    Outcome,
    Period,
    ReportingDate,
    ReportTransition,
    Status,
)
from internal_control.services.base import (
    check_decision,
    check_transition,
    clean_text,
    from_token,
    may_report,
    require_manage,
)


@transaction.atomic
def record_result(
    reporting_date,
    *,
    actor,
    outcome,
    comment="",
    action=None,
    form_token=None,
):
    """Record the result of a control point for one reporting date (once).

    `action` (a dict: unit, title, owner, due_date, description) makes an action whose source
    is the result; a result with remark needs one, or a comment saying why none is needed.
    """
    existing = from_token(ControlResult, form_token)
    if existing is not None:
        return existing
    stored = (
        ReportingDate.objects.select_for_update(of=("self",))
        .select_related("control_point__plan__board", "control_point__responsible")
        .get(pk=reporting_date.pk)
    )
    point = stored.control_point
    if actor is not None and not may_report(actor, point):
        raise PermissionDenied
    if point.plan.status != Status.APPROVED:
        raise ValidationError(
            _("Results are recorded once the board has approved the plan."), code="state"
        )
    if ControlResult.objects.filter(reporting_date=stored).exists():
        raise ValidationError(
            _("The result for this reporting date is already recorded."), code="exists"
        )
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose a result.")})
    comment = (comment or "").strip()
    if outcome != Outcome.WITHOUT_REMARK and not comment:
        raise ValidationError({"comment": _("Say what was found, or why it was not done.")})
    if outcome == Outcome.WITH_REMARK and action is None:
        raise ValidationError(
            {"action_title": _("Say what is to be done about the remark.")}, code="action"
        )
    result = save_once(
        ControlResult(
            reporting_date=stored,
            outcome=outcome,
            comment=comment,
            recorded_by=actor,
            recorded_at=timezone.now(),
            form_token=form_token,
        ),
        form_token,
    )
    if not result.just_created:
        return result
    if action is not None:
        create_action(
            actor=actor,
            unit=action["unit"],
            title=action["title"],
            owner=action["owner"],
            due_date=action["due_date"],
            description=action.get("description", ""),
            source=result,
        )
    record_event(
        point.plan,
        "internal_control.result_recorded",
        actor,
        outcome=Outcome(outcome).label,
        date=stored.due_on.isoformat(),
        what=point.what,
    )
    return result


def _locked_report(report):
    return (
        InternalControlReport.objects.select_for_update(of=("self",))
        .select_related("plan__board")
        .get(pk=report.pk)
    )


def _refresh(report, stored):
    if report is not stored:
        for field in InternalControlReport._meta.concrete_fields:
            setattr(report, field.attname, getattr(stored, field.attname))


def _label(status):
    return Status(status).label if status in Status.values else status


@transaction.atomic
def create_report(plan, *, actor, period, summary="", form_token=None):
    """A draft report on the approved plan for the year or a tertial (one per period)."""
    existing = from_token(InternalControlReport, form_token)
    if existing is not None:
        return existing
    stored = InternalControlPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    require_manage(actor, plan.board)
    if stored.status != Status.APPROVED:
        raise ValidationError(_("Report on a plan the board has approved."), code="state")
    if period not in Period.values:
        raise ValidationError({"period": _("Choose the period.")})
    if InternalControlReport.objects.filter(plan=stored, period=period).exists():
        raise ValidationError(
            {"period": _("There is already a report for this period.")}, code="unique"
        )
    report = save_once(
        InternalControlReport(
            plan=stored, period=period, summary=(summary or "").strip(), form_token=form_token
        ),
        form_token,
    )
    if report.just_created:
        record_event(
            stored,
            "internal_control.report_created",
            actor,
            period=Period(period).label,
        )
    return report


@transaction.atomic
def approve_report(report, *, actor, decision_paragraph, diary_number, decided_on):
    stored = _locked_report(report)
    require_manage(actor, stored.plan.board)
    check_transition(REPORT_TRANSITIONS, stored.status, Status.APPROVED, "", _label)
    check_decision(decision_paragraph, diary_number, decided_on)
    frm = stored.status
    stored.status = Status.APPROVED
    stored.decision_paragraph = clean_text(decision_paragraph)
    stored.diary_number = clean_text(diary_number)
    stored.decided_on = decided_on
    stored.save(update_fields=["status", "decision_paragraph", "diary_number", "decided_on"])
    decision = stored.decision_text
    ReportTransition.objects.create(
        report=stored, from_status=frm, to_status=Status.APPROVED, actor=actor, decision=decision
    )
    record_event(stored.plan, "internal_control.report_approved", actor, decision=decision)
    _refresh(report, stored)
    return report


@transaction.atomic
def reopen_report(report, *, actor, reason):
    stored = _locked_report(report)
    require_manage(actor, stored.plan.board)
    check_transition(REPORT_TRANSITIONS, stored.status, Status.DRAFT, reason, _label)
    frm = stored.status
    stored.status = Status.DRAFT
    stored.save(update_fields=["status"])
    ReportTransition.objects.create(
        report=stored,
        from_status=frm,
        to_status=Status.DRAFT,
        actor=actor,
        reason=reason.strip(),
        decision=stored.decision_text,
    )
    record_event(stored.plan, "internal_control.report_reopened", actor, reason=reason.strip())
    _refresh(report, stored)
    return report
