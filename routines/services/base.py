"""Shared parts of the routine services: the state move, the row locks, numbering and text."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from routines.models import (
    VERSION_TRANSITIONS,
    BodyFormat,
    ReferenceSequence,
    Routine,
    RoutineVersion,
    VersionState,
    VersionTransition,
)
from routines.services.rules import is_person

REFERENCE_FORMAT = "RU-{:05d}"
# The states of a version still being worked on: a routine has at most one at a time.
OPEN_STATES = (VersionState.DRAFT, VersionState.REVIEW, VersionState.APPROVED)


# -- the state move --------------------------------------------------------------------------


def check_move(version, to):
    if (version.state, to) not in VERSION_TRANSITIONS:
        raise ValidationError(
            _("A version that is “%(from)s” cannot become “%(to)s”.")
            % {"from": VersionState(version.state).label, "to": VersionState(to).label},
            code="transition",
        )


def move(version, to, *, actor, note="", verb, update=(), **params):
    """Move the version along the table and store it: the version (with `update`, the other
    fields the caller changed), a transition row and an event on the routine."""
    check_move(version, to)
    frm = version.state
    version.state = to
    version.search_text = search_text(version)
    version.save(update_fields=["state", "search_text", *update])
    VersionTransition.objects.create(
        version=version,
        from_state=frm,
        to_state=to,
        actor=actor if is_person(actor) else None,
        at=timezone.now(),
        note=note,
    )
    record_event(version.routine, verb, actor, version=version.number, note=note, **params)
    return version


def locked_version(version):
    """The version re-read under a row lock, with its routine (also locked: one publication
    at a time per routine)."""
    Routine.objects.select_for_update().filter(pk=version.routine_id).first()
    return (
        RoutineVersion.objects.select_for_update(of=("self",))
        .select_related("routine", "routine__unit", "routine__current_version")
        .get(pk=version.pk)
    )


def refresh(version, locked):
    """Let the caller's object show the stored state."""
    if version is not locked:
        for field in RoutineVersion._meta.concrete_fields:
            setattr(version, field.attname, getattr(locked, field.attname))


def open_version(routine, exclude=None):
    rows = routine.versions.filter(state__in=OPEN_STATES)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return rows.first()


# -- numbers, dates, text --------------------------------------------------------------------


def next_reference():
    """The next free RU-number; the sequence row is locked until the transaction ends."""
    ReferenceSequence.objects.get_or_create(pk=1)
    sequence = ReferenceSequence.objects.select_for_update().get(pk=1)
    number = sequence.last + 1
    while Routine.objects.filter(reference=REFERENCE_FORMAT.format(number)).exists():
        number += 1
    sequence.last = number
    sequence.save(update_fields=["last"])
    return REFERENCE_FORMAT.format(number)


def add_months(day, months):
    """The same day `months` later; the month's last day when it is shorter (31 Jan → 28 Feb)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def body_text(version):
    """The words of the version without its title: the editor's text or the document's."""
    from routines.text import html_to_text

    if version.body_format == BodyFormat.FILE:
        return version.search_text.partition("\n\n")[2]
    return html_to_text(version.body)


def search_text(version, document_text=None):
    """Title and words of the version; the routine's title first (it has no line break)."""
    text = document_text if document_text is not None else body_text(version)
    return f"{version.routine.title}\n\n{text}".strip()


def clean_note(text):
    return (text or "").strip()
