"""Shared parts of the routine services: who may do what, the state move, numbering, text.

Everything here is used by the service modules (services_*.py); other modules call
routines.services, which gathers the public functions.
"""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment, User
from accounts.scoping import can
from audit.services import record_event
from routines.models import (
    DRAFT,
    VERSION_TRANSITIONS,
    VIEW,
    ApprovalAuthority,
    BodyFormat,
    ReferenceSequence,
    Routine,
    RoutineVersion,
    VersionState,
    VersionTransition,
)

APPROVE = "routines.approve"
MANAGE = "routines.manage"
IMPORT = "routines.import"
REFERENCE_FORMAT = "RU-{:05d}"
# The states of a version still being worked on: a routine has at most one at a time.
OPEN_STATES = (VersionState.DRAFT, VersionState.REVIEW, VersionState.APPROVED)


# -- who may do what -------------------------------------------------------------------------


def _person(user):
    return user is not None and user.is_authenticated and user.is_active


def may_draft(user, routine_or_node):
    """Write and revise routines of the node (the system itself may, e.g. an import)."""
    return user is None or can(user, DRAFT, routine_or_node)


def may_manage(user, routine_or_node):
    return user is None or can(user, MANAGE, routine_or_node)


def may_import(user, routine_or_node):
    """Put a document approved before Hjulet in force, recording who approved it outside."""
    return user is None or can(user, IMPORT, routine_or_node)


def approval_authority(node):
    """The ApprovalAuthority row for the node's level, or None when none is set."""
    return ApprovalAuthority.objects.select_related("role").filter(node_kind=node.kind).first()


def holds_authority(user, node, authority=None):
    """Whether the person holds the approving role of the node's level, by an assignment
    covering the node, and the key routines.approve there."""
    if not _person(user):
        return False
    authority = authority or approval_authority(node)
    if authority is None or authority.role_id is None or not can(user, APPROVE, node):
        return False
    rows = (
        RoleAssignment.objects.active()
        .filter(user=user, role_id=authority.role_id, node__is_active=True)
        .values_list("node_id", "node__path", "include_subtree")
    )
    return any(
        node_id == node.pk or (subtree and node.path.startswith(path))
        for node_id, path, subtree in rows
    )


def may_approve(user, routine):
    return holds_authority(user, routine.unit)


def may_publish(user, routine):
    """Publish or withdraw a published version: the approving role of the routine's level.

    Following routines up (routines.manage) is not enough: an auditor who follows up must not
    be able to put a routine in force or take it away."""
    return user is None or may_approve(user, routine)


def require(allowed):
    if not allowed:
        raise PermissionDenied


def readers_q(node):
    """A Q over RoleAssignment: the assignments that let a person read routines of `node`
    (at the node or below it, or above it with the subtree; see RoutineQuerySet.visible_to)."""
    return Q(node__path__startswith=node.path) | Q(
        node_id__in=node.ancestor_ids(), include_subtree=True
    )


def readers(node):
    """The active people who may read the routines of `node`."""
    assignments = RoleAssignment.objects.active().filter(
        readers_q(node), role__permissions__key=VIEW, node__is_active=True
    )
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id")).order_by(
        "last_name", "first_name", "username"
    )


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
        actor=actor if _person(actor) else None,
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
