"""Creating and changing a risk analysis, its life cycle and its review."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record_event
from core.once import save_once
from risks.models import (
    MANAGE,
    TRANSITIONS,
    RiskAnalysis,
    RiskAnalysisTransition,
    Status,
    SubjectKind,
)
from risks.services.base import (
    check_unit,
    clean_text,
    from_token,
    locked,
    refresh,
    require_manage,
)

EDITABLE_FIELDS = (
    "title",
    "subject_kind",
    "description",
    "responsible",
    "health_care_in_scope",
    "work_environment_in_scope",
    "review_on",
    "conclusion",
)
STATUS_VERBS = {
    Status.ASSESSED: "risks.assessed",
    Status.DECIDED: "risks.decided",
    Status.CLOSED: "risks.closed",
    Status.DRAFT: "risks.reopened",
}


def responsible_candidates(actor):
    """Active people the actor sees with risks.manage, and the actor."""
    if actor is None:
        return User.objects.filter(is_active=True)
    return User.objects.visible_to(actor, MANAGE).filter(is_active=True)


def _check_responsible(actor, person):
    if person is None or not person.is_active:
        raise ValidationError({"responsible": _("Choose an active person.")})
    if (
        actor is not None
        and person.pk != actor.pk
        and not responsible_candidates(actor).filter(pk=person.pk).exists()
    ):
        raise ValidationError(
            {"responsible": _("Choose a person within your part of the organisation.")}
        )


def _check_subject(subject_kind, process):
    if subject_kind not in SubjectKind.values:
        raise ValidationError({"subject_kind": _("Choose what is analysed.")})
    if process is not None and subject_kind != SubjectKind.PROCESS:
        raise ValidationError(
            {"subject_kind": _("An analysis of a process is of the kind “process or activity”.")}
        )


@transaction.atomic
def create_analysis(
    *,
    actor,
    unit,
    title,
    subject_kind,
    responsible,
    description="",
    process=None,
    origin=None,
    health_care_in_scope=False,
    work_environment_in_scope=False,
    review_on=None,
    is_example=False,
    form_token=None,
):
    """A new risk analysis in progress. `process` is the process analysed, `origin` the record
    it was started from (an aggregated analysis); the caller has checked both visible."""
    existing = from_token(RiskAnalysis, form_token, actor)
    if existing is not None:
        return existing
    check_unit(actor, unit)
    _check_responsible(actor, responsible)
    _check_subject(subject_kind, process)
    analysis = RiskAnalysis(
        title=clean_text(title),
        subject_kind=subject_kind,
        description=(description or "").strip(),
        unit=unit,
        process=process,
        responsible=responsible,
        health_care_in_scope=health_care_in_scope,
        work_environment_in_scope=work_environment_in_scope,
        review_on=review_on,
        is_example=is_example,
        created_by=actor if actor is not None else None,
        form_token=form_token,
    )
    if origin is not None:
        analysis.origin_type = ContentType.objects.get_for_model(origin)
        analysis.origin_id = origin.pk
        analysis.origin_label = str(origin)[:200]
    if not analysis.title:
        raise ValidationError({"title": _("Give the analysis a title.")})
    analysis.full_clean(exclude=["form_token"])
    analysis = save_once(analysis, form_token)
    if analysis.just_created:
        record_event(
            analysis,
            "risks.created",
            actor,
            title=analysis.title,
            unit=unit.name,
            subject=analysis.get_subject_kind_display(),
        )
    return analysis


@transaction.atomic
def update_analysis(analysis, *, actor, **fields):
    """Change what the analysis is about, who is responsible, its scope and review date.
    Returns the names of the changed fields."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    stored = locked(analysis)
    require_manage(actor, stored)
    if stored.status == Status.CLOSED:
        raise ValidationError(_("A closed analysis is reopened before it is changed."))
    if "title" in fields:
        fields["title"] = clean_text(fields["title"])
    for name in ("description", "conclusion"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    changed = [name for name, value in fields.items() if getattr(stored, name) != value]
    if not changed:
        return []
    if "responsible" in changed:
        _check_responsible(actor, fields["responsible"])
    if "subject_kind" in changed:
        _check_subject(fields["subject_kind"], stored.process)
    for name in changed:
        setattr(stored, name, fields[name])
    stored.full_clean(exclude=["form_token"])
    stored.save(update_fields=changed)
    labels = [str(RiskAnalysis._meta.get_field(name).verbose_name) for name in changed]
    record_event(stored, "risks.updated", actor, fields=", ".join(labels))
    refresh(analysis, stored)
    return changed


@transaction.atomic
def move(analysis, to, *, actor, reason=""):
    """Move the analysis along its life cycle if the table allows it (risks.models.TRANSITIONS).

    Assessing needs at least one scored event; deciding needs a review date.
    """
    stored = locked(analysis)
    require_manage(actor, stored)
    frm = stored.status
    if to not in Status.values or (frm, to) not in TRANSITIONS:
        raise ValidationError(
            _("An analysis that is “%(from)s” cannot become “%(to)s”.")
            % {"from": Status(frm).label, "to": Status(to).label if to in Status.values else to},
            code="transition",
        )
    reason = (reason or "").strip()
    if TRANSITIONS[(frm, to)] and not reason:
        raise ValidationError({"reason": _("Give a reason.")}, code="reason")
    if to == Status.ASSESSED and not stored.events.exists():
        raise ValidationError(_("Add and score at least one event first."), code="events")
    if to == Status.DECIDED and stored.review_on is None:
        raise ValidationError(
            {"review_on": _("Give a review date before the analysis is decided.")},
            code="review",
        )
    now = timezone.now()
    stored.status = to
    update = ["status"]
    if to == Status.DECIDED:
        stored.decided_at = now
        update.append("decided_at")
    stored.save(update_fields=update)
    RiskAnalysisTransition.objects.create(
        analysis=stored, from_status=frm, to_status=to, actor=actor, at=now, reason=reason
    )
    record_event(stored, STATUS_VERBS[to], actor, **{"from": frm, "to": to, "reason": reason})
    refresh(analysis, stored)
    return analysis


@transaction.atomic
def record_review(analysis, *, actor, next_review_on, note=""):
    """The decided analysis was reviewed and still holds: a new review date (its reminders
    start anew). An analysis that no longer holds is reopened with `move` instead."""
    stored = locked(analysis)
    require_manage(actor, stored)
    if stored.status != Status.DECIDED:
        raise ValidationError(_("A decided analysis is reviewed."), code="state")
    if next_review_on is None or next_review_on <= timezone.localdate():
        raise ValidationError({"next_review_on": _("Choose a date after today.")})
    previous = stored.review_on
    stored.review_on = next_review_on
    stored.save(update_fields=["review_on"])
    record_event(
        stored,
        "risks.reviewed",
        actor,
        previous=previous.isoformat() if previous else "",
        next=next_review_on.isoformat(),
        note=(note or "").strip(),
    )
    refresh(analysis, stored)
    return analysis
