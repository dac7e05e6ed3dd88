"""Named value sources that prefill the authorities' forms (data/authority_forms.json).

Each source answers one field of a draft from the case and the organisation: the form data names
the source, so a new form version that asks for the same thing again is an edit of the data.
"""


def _address(track, actor):
    """The notifier's postal address: the provider's node, or the root of the tree."""
    unit = track.deviation.unit
    provider = unit.effective_provider()
    node = provider.node if provider is not None and provider.kind == "private" else unit.root()
    return node.address()


def _unit_address(track, actor):
    return track.deviation.unit.address()


def _event_place(track, actor):
    """The unit, the place within it as the report says, and the unit's address."""
    deviation = track.deviation
    parts = [deviation.unit.name, deviation.place, deviation.unit.address()]
    return ", ".join(p for p in parts if p)


def _reported_at(track, actor):
    return track.deviation.reported_at


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


SOURCES = {
    "address": _address,
    "unit_address": _unit_address,
    "event_place": _event_place,
    "reported_at": _reported_at,
    "investigation_started_at": _investigation_started_at,
    "decision_maker": _decision_maker,
    "dpo": _dpo,
}
