"""Routines in force for the staff-side tests, made through the workflow's services."""

from django.utils import timezone

from routines.services.draft import create_routine
from routines.services.publish import publish_imported


def routine_in_force(cast, *, unit=None, title="Rutin", body="<p>Text</p>", actor=None, **extra):
    """A routine of `unit` (unit A by default) published today as approved outside Hjulet."""
    unit = unit or cast.unit_a
    if actor is None:
        actor = cast.manager_a if unit.pk == cast.unit_a.pk else cast.parent_manager
    extra.setdefault("owner", actor)
    routine = create_routine(actor=actor, unit=unit, title=title, body=body, **extra)
    version = routine.versions.get()
    today = timezone.localdate()
    publish_imported(
        version, actor=actor, approved_as="Enhetschef", approved_on=today, effective_from=today
    )
    routine.refresh_from_db()
    return routine
