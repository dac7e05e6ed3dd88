"""Creating a plan, its control points (by hand or drafted from the yearly risk analysis), and
the board's decision on it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment, User
from audit.services import record_event
from core.once import save_once
from internal_control.models import (
    PLAN_TRANSITIONS,
    REPORT,
    ControlPoint,
    Frequency,
    InternalControlPlan,
    PlanTransition,
    ReportingDate,
    Status,
)
from internal_control.services.base import (
    check_decision,
    check_transition,
    clean_text,
    from_token,
    require_manage,
)
from organisation.models import NodeKind
from risks.models import RiskAnalysis, RiskEvent, SubjectKind
from risks.models.matrix import matrix_for

# Analyses a plan may be drafted from: the board's yearly analyses once assessed.
DRAFTABLE_STATUSES = ("assessed", "decided", "closed")


def responsible_candidates(board):
    """Active people who may report on a control point of the board: holders of
    internal_control.report in the board's tree."""
    ids = (
        RoleAssignment.objects.active()
        .filter(
            node__path__startswith=board.path,
            node__is_active=True,
            role__permissions__key=REPORT,
        )
        .values("user_id")
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def yearly_analyses(board):
    """The board's yearly risk- och väsentlighetsanalyser a plan may be drafted from, newest
    first: those of the board's tree, assessed or decided."""
    return (
        RiskAnalysis.objects.filter(
            unit__path__startswith=board.path,
            subject_kind=SubjectKind.YEARLY,
            status__in=DRAFTABLE_STATUSES,
        )
        .select_related("unit")
        .order_by("-created_at", "-pk")
    )


def default_dates(year, frequency):
    """Reporting dates a frequency suggests in the plan's year."""
    if frequency == Frequency.MONTHLY:
        ends = [(m, 28) for m in range(1, 13)]
    elif frequency == Frequency.QUARTERLY:
        ends = [(3, 31), (6, 30), (9, 30), (12, 31)]
    elif frequency in (Frequency.TERTIAL, Frequency.CONTINUOUS):
        ends = [(4, 30), (8, 31), (12, 31)]
    else:
        ends = [(11, 30)]
    return [date(year, m, d) for m, d in ends]


def _check_board(board):
    if board.kind != NodeKind.BOARD:
        raise ValidationError({"board": _("Choose a board.")}, code="board")
    if not board.is_active:
        raise ValidationError({"board": _("This board is closed.")}, code="closed")


@transaction.atomic
def create_plan(*, actor, board, year, risk_analysis=None, is_example=False, form_token=None):
    """A new draft plan for the board and year (one per board and year)."""
    existing = from_token(InternalControlPlan, form_token)
    if existing is not None:
        require_manage(actor, existing.board)
        return existing
    _check_board(board)
    require_manage(actor, board)
    if not (2000 <= int(year) <= 2100):
        raise ValidationError({"year": _("Give a year.")})
    if InternalControlPlan.objects.filter(board=board, year=year).exists():
        raise ValidationError(
            {"year": _("The board already has a plan for this year.")}, code="unique"
        )
    plan = InternalControlPlan(
        board=board,
        year=year,
        risk_analysis=risk_analysis,
        is_example=is_example,
        created_by=actor,
        form_token=form_token,
    )
    plan = save_once(plan, form_token)
    if plan.just_created:
        record_event(plan, "internal_control.plan_created", actor, year=year, board=board.name)
    return plan


def _locked(plan):
    return (
        InternalControlPlan.objects.select_for_update(of=("self",))
        .select_related("board")
        .get(pk=plan.pk)
    )


def _refresh(plan, stored):
    if plan is not stored:
        for field in InternalControlPlan._meta.concrete_fields:
            setattr(plan, field.attname, getattr(stored, field.attname))


def _require_draft(plan):
    if plan.status != Status.DRAFT:
        raise ValidationError(
            _("The board has approved the plan. Reopen it before it is changed."), code="state"
        )


def _clean_dates(plan, dates):
    dates = sorted(set(dates or []))
    if not dates:
        raise ValidationError({"reporting_dates": _("Give at least one reporting date.")})
    if any(d.year not in (plan.year, plan.year + 1) for d in dates):
        raise ValidationError(
            {"reporting_dates": _("Reporting dates fall in the plan's year (or early next year).")}
        )
    return dates


def _check_responsible(plan, responsible):
    if (
        responsible is None
        or not responsible_candidates(plan.board).filter(pk=responsible.pk).exists()
    ):
        raise ValidationError(
            {"responsible": _("Choose a manager who reports on internal control in this board.")}
        )


@transaction.atomic
def add_control_point(
    plan,
    *,
    actor,
    what,
    method,
    frequency,
    responsible,
    reporting_dates,
    risk_event=None,
    form_token=None,
):
    """Add a control point to a draft plan. With `risk_event` (an event of the board's yearly
    analysis), its description, value and level are copied as they are now."""
    existing = from_token(ControlPoint, form_token)
    if existing is not None:
        return existing
    stored = _locked(plan)
    require_manage(actor, stored.board)
    _require_draft(stored)
    what = clean_text(what) or (clean_text(risk_event.description) if risk_event else "")
    if not what:
        raise ValidationError({"what": _("Say what is controlled.")})
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose how often.")})
    if method is None or not method.is_active:
        raise ValidationError({"method": _("Choose a method.")})
    _check_responsible(stored, responsible)
    dates = _clean_dates(stored, reporting_dates)
    point = ControlPoint(
        plan=stored,
        position=(stored.control_points.aggregate(m=Max("position"))["m"] or 0) + 1,
        what=what[:300],
        method=method,
        frequency=frequency,
        responsible=responsible,
        form_token=form_token,
    )
    if risk_event is not None:
        if not yearly_analyses(stored.board).filter(pk=risk_event.analysis_id).exists():
            raise ValidationError(
                _("Choose a risk of the board's yearly risk and materiality analysis.")
            )
        matrix = matrix_for(risk_event.analysis.unit)
        point.risk_event = risk_event
        point.risk_description = risk_event.description[:300]
        point.risk_value = risk_event.value
        point.risk_level = risk_event.level
        point.risk_level_label = matrix.level_label(risk_event.level) if matrix else ""
    point = save_once(point, form_token)
    if point.just_created:
        ReportingDate.objects.bulk_create(
            [ReportingDate(control_point=point, due_on=d) for d in dates]
        )
        record_event(stored, "internal_control.point_added", actor, what=point.what)
    return point


def is_high(event, matrix):
    """The event reaches the matrix's highest level (preselected when a plan is drafted)."""
    return matrix is not None and matrix.level_rank(event.level) == len(matrix.levels) - 1


def analysis_events(analysis):
    """The analysis's events, highest risk value first, each with `is_high`."""
    matrix = matrix_for(analysis.unit)
    events = list(RiskEvent.objects.filter(analysis=analysis).order_by("-value", "position"))
    for event in events:
        event.is_high = is_high(event, matrix)
        event.level_label = matrix.level_label(event.level) if matrix else event.level
    return events


@transaction.atomic
def draft_from_analysis(plan, *, actor, analysis, choices, reporting_dates=None):
    """Control points made of the chosen events of the yearly analysis.

    `choices` is a list of dicts: event, what, method, frequency, responsible (and optionally
    reporting_dates; else the dates given, or those the frequency suggests). Returns the new
    control points. The whole draft is made or nothing.
    """
    stored = _locked(plan)
    require_manage(actor, stored.board)
    _require_draft(stored)
    if not yearly_analyses(stored.board).filter(pk=analysis.pk).exists():
        raise ValidationError(_("Choose the board's yearly risk and materiality analysis."))
    if not choices:
        raise ValidationError(_("Choose at least one risk."), code="empty")
    made = []
    chosen = set(stored.control_points.exclude(risk_event=None).values_list("risk_event_id"))
    for choice in choices:
        event = choice["event"]
        if event.analysis_id != analysis.pk:
            raise ValidationError(_("Choose risks of this analysis."))
        if (event.pk,) in chosen:
            continue
        dates = choice.get("reporting_dates") or reporting_dates
        if not dates:
            dates = default_dates(stored.year, choice["frequency"])
        made.append(
            add_control_point(
                stored,
                actor=actor,
                what=choice.get("what") or event.description,
                method=choice["method"],
                frequency=choice["frequency"],
                responsible=choice["responsible"],
                reporting_dates=dates,
                risk_event=event,
            )
        )
    if stored.risk_analysis_id != analysis.pk:
        stored.risk_analysis = analysis
        stored.save(update_fields=["risk_analysis"])
        _refresh(plan, stored)
    if made:
        record_event(
            stored,
            "internal_control.drafted_from_analysis",
            actor,
            count=len(made),
            analysis=str(analysis),
        )
    return made


@transaction.atomic
def update_control_point(point, *, actor, what, method, frequency, responsible, reporting_dates):
    """Change a control point of a draft plan; its reporting dates become those given. The
    risk copied when it was chosen stays as it was."""
    stored = _locked(point.plan)
    require_manage(actor, stored.board)
    _require_draft(stored)
    what = clean_text(what)
    if not what:
        raise ValidationError({"what": _("Say what is controlled.")})
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose how often.")})
    if method is None or not method.is_active:
        raise ValidationError({"method": _("Choose a method.")})
    _check_responsible(stored, responsible)
    dates = _clean_dates(stored, reporting_dates)
    ControlPoint.objects.filter(pk=point.pk).update(
        what=what[:300], method=method, frequency=frequency, responsible=responsible
    )
    ReportingDate.objects.filter(control_point=point).exclude(due_on__in=dates).delete()
    have = set(ReportingDate.objects.filter(control_point=point).values_list("due_on", flat=True))
    ReportingDate.objects.bulk_create(
        [ReportingDate(control_point=point, due_on=d) for d in dates if d not in have]
    )
    point.refresh_from_db()
    record_event(stored, "internal_control.point_changed", actor, what=point.what)
    return point


@transaction.atomic
def remove_control_point(point, *, actor):
    stored = _locked(point.plan)
    require_manage(actor, stored.board)
    _require_draft(stored)
    what = point.what
    ControlPoint.objects.filter(pk=point.pk).delete()
    record_event(stored, "internal_control.point_removed", actor, what=what)


@transaction.atomic
def approve_plan(plan, *, actor, decision_paragraph, diary_number, decided_on):
    """Record the board's decision: the plan is approved and no longer changes."""
    stored = _locked(plan)
    require_manage(actor, stored.board)
    check_transition(PLAN_TRANSITIONS, stored.status, Status.APPROVED, "", _label)
    check_decision(decision_paragraph, diary_number, decided_on)
    if not stored.control_points.exists():
        raise ValidationError(_("Add at least one control point first."), code="empty")
    frm = stored.status
    stored.status = Status.APPROVED
    stored.decision_paragraph = clean_text(decision_paragraph)
    stored.diary_number = clean_text(diary_number)
    stored.decided_on = decided_on
    stored.save(update_fields=["status", "decision_paragraph", "diary_number", "decided_on"])
    decision = stored.decision_text
    PlanTransition.objects.create(
        plan=stored,
        from_status=frm,
        to_status=Status.APPROVED,
        actor=actor,
        at=timezone.now(),
        decision=decision,
    )
    record_event(stored, "internal_control.plan_approved", actor, decision=decision)
    _refresh(plan, stored)
    return plan


@transaction.atomic
def reopen_plan(plan, *, actor, reason):
    """An approved plan back to draft (the board is to decide on it anew); the earlier
    decision stays in the plan's history."""
    stored = _locked(plan)
    require_manage(actor, stored.board)
    check_transition(PLAN_TRANSITIONS, stored.status, Status.DRAFT, reason, _label)
    frm = stored.status
    stored.status = Status.DRAFT
    stored.save(update_fields=["status"])
    PlanTransition.objects.create(
        plan=stored,
        from_status=frm,
        to_status=Status.DRAFT,
        actor=actor,
        at=timezone.now(),
        reason=reason.strip(),
        decision=stored.decision_text,
    )
    record_event(stored, "internal_control.plan_reopened", actor, reason=reason.strip())
    _refresh(plan, stored)
    return plan


def _label(status):
    return Status(status).label if status in Status.values else status
