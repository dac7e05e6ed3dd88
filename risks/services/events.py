"""The events of a risk analysis, scored on the organisation's matrix before and after the
measures (risks.models.matrix)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from audit.services import record_event
from core.once import save_once
from risks.models import RiskEvent, Status
from risks.models.matrix import matrix_for
from risks.services.base import (
    clean_text,
    from_token,
    locked,
    require_editable,
    require_manage,
)


def _score(matrix, likelihood, consequence, prefix=""):
    try:
        return matrix.score(int(likelihood), int(consequence))
    except (TypeError, ValueError):
        raise ValidationError(
            {f"{prefix}likelihood": _("Choose a step of the matrix.")}, code="score"
        ) from None


@transaction.atomic
def add_event(analysis, *, actor, description, likelihood, consequence, cause="", form_token=None):
    """Add an event scored on the matrix of the unit's organisation."""
    existing = from_token(RiskEvent, form_token, actor)
    if existing is not None:
        return existing
    stored = locked(analysis)
    require_manage(actor, stored)
    require_editable(stored)
    description = clean_text(description)
    if not description:
        raise ValidationError({"description": _("Say what could happen.")})
    score = _score(matrix_for(stored.unit), likelihood, consequence)
    last = stored.events.aggregate(m=Max("position"))["m"] or 0
    event = RiskEvent(
        analysis=stored,
        position=last + 1,
        description=description,
        cause=(cause or "").strip(),
        likelihood=score.likelihood,
        consequence=score.consequence,
        value=score.value,
        level=score.level,
        form_token=form_token,
    )
    event = save_once(event, form_token)
    if event.just_created:
        record_event(
            stored,
            "risks.event_added",
            actor,
            event=description,
            value=score.value,
            level=score.label,
        )
    return event


@transaction.atomic
def update_event(event, *, actor, description, likelihood, consequence, cause=""):
    stored = locked(event.analysis)
    require_manage(actor, stored)
    require_editable(stored)
    event = RiskEvent.objects.select_for_update(of=("self",)).get(pk=event.pk, analysis=stored)
    description = clean_text(description)
    if not description:
        raise ValidationError({"description": _("Say what could happen.")})
    score = _score(matrix_for(stored.unit), likelihood, consequence)
    event.description = description
    event.cause = (cause or "").strip()
    event.likelihood, event.consequence = score.likelihood, score.consequence
    event.value, event.level = score.value, score.level
    event.save()
    record_event(
        stored,
        "risks.event_updated",
        actor,
        event=description,
        value=score.value,
        level=score.label,
    )
    return event


@transaction.atomic
def score_residual(event, *, actor, likelihood, consequence):
    """The risk that remains once the measures are carried out (restrisk): a second score.
    Recorded while the analysis is worked on or decided (after a measure is done)."""
    stored = locked(event.analysis)
    require_manage(actor, stored)
    if stored.status == Status.CLOSED:
        raise ValidationError(_("A closed analysis is reopened before it is changed."))
    event = RiskEvent.objects.select_for_update(of=("self",)).get(pk=event.pk, analysis=stored)
    score = _score(matrix_for(stored.unit), likelihood, consequence, prefix="residual_")
    event.residual_likelihood, event.residual_consequence = score.likelihood, score.consequence
    event.residual_value, event.residual_level = score.value, score.level
    event.save(
        update_fields=[
            "residual_likelihood",
            "residual_consequence",
            "residual_value",
            "residual_level",
        ]
    )
    record_event(
        stored,
        "risks.residual_scored",
        actor,
        event=event.description,
        value=score.value,
        level=score.label,
    )
    return event


@transaction.atomic
def remove_event(event, *, actor):
    stored = locked(event.analysis)
    require_manage(actor, stored)
    require_editable(stored)
    description = event.description
    RiskEvent.objects.filter(pk=event.pk, analysis=stored).delete()
    record_event(stored, "risks.event_removed", actor, event=description)
