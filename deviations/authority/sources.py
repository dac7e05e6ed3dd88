"""Named value sources that prefill the authorities' forms (data/authority_forms.json).

Each source answers one field of a draft as `source(track, actor)`: from the case, the
organisation, or the person drafting (the contact person). The form data names the source of
every field it prefills, so a new form version that asks for the same thing again is an edit of
the data. Sources that share a value (the letter to the people concerned names the contact
person) compute it from the same helpers, never from each other's results.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from deviations.authority.models import (
    InvestigationStatus,
    LegalArea,
    NotificationState,
    PeopleInformed,
    Recipient,
)
from deviations.models import TrackState
from legal.citations import law_areas_for
from legal.models import LawArea

# -- who notifies -----------------------------------------------------------------------------


def _responsible(unit):
    """Who notifies: a contracted provider for the units it runs; otherwise the board at the
    root of the tree, which is both provider and controller for a municipality's own services
    (its organisation number is read from the own-management provider record when set)."""
    provider = unit.effective_provider()
    if provider is not None and provider.kind == "private":
        return provider.name, provider.organisation_number
    return unit.root().name, provider.organisation_number if provider else ""


def _organisation_name(track, actor):
    return _responsible(track.deviation.unit)[0]


def _organisation_number(track, actor):
    return _responsible(track.deviation.unit)[1]


def _address(track, actor):
    """The notifier's postal address: the provider's node, or the root of the tree."""
    unit = track.deviation.unit
    provider = unit.effective_provider()
    node = provider.node if provider is not None and provider.kind == "private" else unit.root()
    return node.address()


def _unit_name(track, actor):
    return track.deviation.unit.name


def _unit_address(track, actor):
    return track.deviation.unit.address()


def _legal_area(track, actor):
    """SoL or LSS from the law areas of the laws the unit states (the register's data)."""
    areas = law_areas_for(track.deviation.unit)
    if LawArea.LSS in areas and LawArea.SOL not in areas:
        return LegalArea.LSS
    if LawArea.SOL in areas:
        return LegalArea.SOL
    return ""


def _own_reference(track, actor):
    return track.deviation.reference


def _dpo(track, actor):
    """The controller's data protection officer: a contracted provider's own, set at or below
    its node; otherwise the nearest set above the unit (the board's)."""
    unit = track.deviation.unit
    node = unit.data_protection_officer()
    provider = unit.effective_provider()
    if node is None or (
        provider is not None and provider.kind == "private" and node.depth < provider.node.depth
    ):
        return ""
    return ", ".join(v for v in (node.dpo_name, node.dpo_email, node.dpo_phone) if v)


# -- the contact person: whoever drafts the notification --------------------------------------


def _contact_name(track, actor):
    return actor.get_full_name() or actor.get_username()


def _contact_phone(track, actor):
    return getattr(actor, "phone", "")


def _contact_email(track, actor):
    return actor.email


# -- what happened and what was done ----------------------------------------------------------


def _occurred_at(track, actor):
    return track.deviation.occurred_at


def _reported_at(track, actor):
    return track.deviation.reported_at


def _event_place(track, actor):
    """The unit, the place within it as the report says, and the unit's address."""
    deviation = track.deviation
    parts = [deviation.unit.name, deviation.place, deviation.unit.address()]
    return ", ".join(p for p in parts if p)


def _what_happened(track, actor):
    return track.deviation.description


def _measures_taken(track, actor):
    return track.deviation.immediate_action


def _measures_planned(track, actor):
    """The investigation's decision, then the track's actions with their due dates."""
    from actions.services import actions_for

    investigation = getattr(track, "investigation", None)
    lines = [investigation.decision] if investigation and investigation.decision else []
    lines += [f"– {a.title} ({a.due_date:%Y-%m-%d})" for a in actions_for(track)]
    return "\n".join(lines)


# -- the investigation ------------------------------------------------------------------------


def _investigation_started_at(track, actor):
    return track.investigation_started_at


def _named(person):
    name = person.get_full_name() or person.get_username()
    title = getattr(person, "title", "")
    return f"{name}, {title}" if title else name


def _decision_maker(track, actor):
    """Who judged the case serious (name and title): the latest judgement in the case's log,
    else whoever decided the investigation."""
    from audit.models import Event

    event = (
        Event.objects.filter(
            verb="deviations.serious_decided",
            params__track_id=str(track.pk),
            actor__isnull=False,
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    if event is not None:
        return _named(event.actor)
    investigation = getattr(track, "investigation", None)
    if investigation is not None and investigation.decided_by is not None:
        return _named(investigation.decided_by)
    return ""


def _investigation_status(track, actor):
    """Sent with the notification once the investigation is decided; until then it follows."""
    if track.state in (TrackState.DECIDED, TrackState.CLOSED):
        return InvestigationStatus.ATTACHED
    return InvestigationStatus.TO_FOLLOW


# -- the people a personal data breach concerns -----------------------------------------------


def _informed(track):
    """The information to the people concerned recorded as sent, or None."""
    return track.notifications.filter(
        recipient=Recipient.PEOPLE_CONCERNED, state=NotificationState.SENT
    ).first()


def _people_informed(track, actor):
    """Yes once they were informed; no when the risk was judged not high (GDPR article 34)."""
    if _informed(track) is not None:
        return PeopleInformed.YES
    return PeopleInformed.NO if track.serious is False else ""


def _people_informed_on(track, actor):
    informed = _informed(track)
    return timezone.localtime(informed.sent_at).date() if informed is not None else None


def _people_not_informed_reason(track, actor):
    if track.serious is not False or _informed(track) is not None:
        return ""
    return _("The risk for the people concerned was judged not high (GDPR article 34).")


def _people_concerned_message(track, actor):
    """A letter to the people concerned to complete: the case's words, and the contact person
    as the other sources give it."""
    contact = (
        _contact_name(track, actor),
        _contact_phone(track, actor),
        _contact_email(track, actor),
    )
    return _(
        "We are writing to tell you about a personal data breach that concerns you.\n\n"
        "What happened: %(what)s\n\n"
        "What it may mean for you: …\n\n"
        "What we have done: %(measures)s\n\n"
        "What you can do yourself: …\n\n"
        "If you have questions, contact %(contact)s."
    ) % {
        "what": _what_happened(track, actor),
        "measures": _measures_taken(track, actor),
        "contact": " ".join(v for v in contact if v),
    }


SOURCES = {
    "organisation_name": _organisation_name,
    "organisation_number": _organisation_number,
    "address": _address,
    "unit_name": _unit_name,
    "unit_address": _unit_address,
    "legal_area": _legal_area,
    "own_reference": _own_reference,
    "dpo": _dpo,
    "contact_name": _contact_name,
    "contact_phone": _contact_phone,
    "contact_email": _contact_email,
    "occurred_at": _occurred_at,
    "reported_at": _reported_at,
    "event_place": _event_place,
    "what_happened": _what_happened,
    "measures_taken": _measures_taken,
    "measures_planned": _measures_planned,
    "investigation_started_at": _investigation_started_at,
    "decision_maker": _decision_maker,
    "investigation_status": _investigation_status,
    "people_informed": _people_informed,
    "people_informed_on": _people_informed_on,
    "people_not_informed_reason": _people_not_informed_reason,
    "people_concerned_message": _people_concerned_message,
}
