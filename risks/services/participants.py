"""The participants of a risk analysis and their functions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from core.once import save_once
from risks.models import Participant, Status
from risks.services.base import clean_text, from_token, locked, require_manage


def _require_open(analysis):
    if analysis.status not in (Status.DRAFT, Status.ASSESSED):
        raise ValidationError(
            _("Participants are changed while the analysis is being worked on."), code="state"
        )


@transaction.atomic
def add_participant(analysis, *, actor, name, function, form_token=None):
    existing = from_token(Participant, form_token, actor)
    if existing is not None:
        return existing
    stored = locked(analysis)
    require_manage(actor, stored)
    _require_open(stored)
    name = clean_text(name)
    if not name:
        raise ValidationError({"name": _("Give the participant's name.")})
    participant = Participant(analysis=stored, name=name, function=function, form_token=form_token)
    participant.full_clean(exclude=["form_token", "analysis"])
    participant = save_once(participant, form_token)
    if participant.just_created:
        record_event(stored, "risks.participant_added", actor, name=name, function=function.name)
    return participant


@transaction.atomic
def remove_participant(participant, *, actor):
    stored = locked(participant.analysis)
    require_manage(actor, stored)
    _require_open(stored)
    name, function = participant.name, participant.function.name
    Participant.objects.filter(pk=participant.pk).delete()
    record_event(stored, "risks.participant_removed", actor, name=name, function=function)
