"""Publication of an approved version, its end (superseded, withdrawn), and the import of
documents approved before Hjulet.

Exactly one version of a routine is published at a time (a database constraint): the one
published before is superseded first, in the same transaction, under a lock of the routine.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from routines.models import RoutineVersion, VersionState
from routines.services.base import add_months, check_move, clean_note, locked_version, move, refresh
from routines.services.rules import may_draft, may_import, may_publish, require
from routines.signals import version_ended, version_published


@transaction.atomic
def publish(version, *, actor, effective_from=None):
    """Approved → published on `effective_from` (today when empty). A later date keeps the
    version approved with its date set; `publish_due` publishes it when the day comes."""
    locked = locked_version(version)
    require(may_publish(actor, locked.routine))
    check_move(locked, VersionState.PUBLISHED)
    today = timezone.localdate()
    effective_from = effective_from or today
    if effective_from < today:
        raise ValidationError(
            {"effective_from": _("A version comes into force today or later.")}, code="past"
        )
    if effective_from > today:
        locked.effective_from = effective_from
        locked.save(update_fields=["effective_from"])
        from audit.services import record_event

        record_event(
            locked.routine,
            "routines.scheduled",
            actor,
            version=locked.number,
            effective_from=effective_from.isoformat(),
        )
    else:
        _publish_now(locked, actor=actor, effective_from=effective_from)
    refresh(version, locked)
    return version


def publish_due(today=None):
    """Publish the approved versions whose date of entry into force has come. Safe to run
    again and from two workers: each version is re-read under a lock."""
    today = today or timezone.localdate()
    due = list(
        RoutineVersion.objects.filter(state=VersionState.APPROVED, effective_from__lte=today).only(
            "pk", "routine_id"
        )
    )
    published = 0
    for version in due:
        with transaction.atomic():
            locked = locked_version(version)
            if locked.state != VersionState.APPROVED or not locked.effective_from:
                continue
            if locked.effective_from > today:
                continue
            _publish_now(locked, actor=None, effective_from=locked.effective_from)
            published += 1
    return published


def _publish_now(locked, *, actor, effective_from):
    routine = locked.routine
    now = timezone.now()
    previous = (
        routine.versions.select_for_update()
        .filter(state=VersionState.PUBLISHED)
        .exclude(pk=locked.pk)
        .first()
    )
    if previous is not None:
        previous.ended_at = now
        previous.end_reason = _("Superseded by version %(number)s.") % {"number": locked.number}
        move(
            previous,
            VersionState.SUPERSEDED,
            actor=actor,
            note=previous.end_reason,
            verb="routines.superseded",
            update=["ended_at", "end_reason"],
        )
        version_ended.send(sender=RoutineVersion, version=previous, actor=actor)
    locked.effective_from = effective_from
    locked.published_at = now
    move(
        locked,
        VersionState.PUBLISHED,
        actor=actor,
        verb="routines.published",
        update=["effective_from", "published_at"],
        effective_from=effective_from.isoformat(),
    )
    routine.current_version = locked
    routine.next_review_on = add_months(effective_from, routine.review_interval_months)
    routine.withdrawn_at = None
    routine.save(update_fields=["current_version", "next_review_on", "withdrawn_at"])
    version_published.send(sender=RoutineVersion, version=locked, previous=previous, actor=actor)
    if locked.action_id:
        _complete_action(locked, actor)
    if routine.adopted_from_id:
        _retire_local(routine, actor)


def _complete_action(version, actor):
    """The closed loop: the revision the action asked for is published, the version is the
    evidence. Someone who may not follow up the action (or the system) completes it as the
    system, since the publication itself is the proof."""
    from actions.models import OPEN_STATUSES
    from actions.services import complete_with_evidence, may_progress

    action = version.action
    if action.status not in OPEN_STATUSES:
        return
    by = actor if actor is not None and may_progress(actor, action) else None
    complete_with_evidence(action, version, actor=by)


def _retire_local(adopted, actor):
    """A unit's routine adopted for the whole level ends when the adopted one is published."""
    from routines.models import Routine

    local = Routine.objects.select_for_update().get(pk=adopted.adopted_from_id)
    current = local.versions.select_for_update().filter(state=VersionState.PUBLISHED).first()
    if current is None:
        return
    now = timezone.now()
    current.ended_at = now
    current.end_reason = _(
        "Replaced by %(reference)s %(title)s, which applies to all of %(node)s."
    ) % {
        "reference": adopted.reference,
        "title": adopted.title,
        "node": adopted.unit.name,
    }
    move(
        current,
        VersionState.WITHDRAWN,
        actor=actor,
        note=current.end_reason,
        verb="routines.replaced",
        update=["ended_at", "end_reason"],
        by=adopted.reference,
    )
    local.current_version = None
    local.withdrawn_at = now
    local.next_review_on = None
    local.save(update_fields=["current_version", "withdrawn_at", "next_review_on"])
    version_ended.send(sender=RoutineVersion, version=current, actor=actor)


@transaction.atomic
def withdraw(version, *, actor, reason):
    """A published version withdrawn (the routine no longer applies), or a draft or a version
    in review abandoned. Both need a reason."""
    locked = locked_version(version)
    routine = locked.routine
    reason = clean_note(reason)
    was_published = locked.state == VersionState.PUBLISHED
    require(may_publish(actor, routine) if was_published else may_draft(actor, routine))
    check_move(locked, VersionState.WITHDRAWN)
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")}, code="required")
    now = timezone.now()
    locked.ended_at = now
    locked.end_reason = reason
    move(
        locked,
        VersionState.WITHDRAWN,
        actor=actor,
        note=reason,
        verb="routines.withdrawn" if was_published else "routines.abandoned",
        update=["ended_at", "end_reason"],
    )
    if was_published:
        routine.current_version = None
        routine.withdrawn_at = now
        routine.next_review_on = None
        routine.save(update_fields=["current_version", "withdrawn_at", "next_review_on"])
        version_ended.send(sender=RoutineVersion, version=locked, actor=actor)
    refresh(version, locked)
    return version


@transaction.atomic
def publish_imported(version, *, actor, approved_as, approved_on, effective_from):
    """A document approved before Hjulet existed: draft → approved → published in one step,
    recording who approved it outside Hjulet (`approved_as`, e.g. "Enhetschef Anna Ek") and
    when. A future `effective_from` leaves it approved until `publish_due`."""
    locked = locked_version(version)
    require(may_import(actor, locked.routine))
    check_move(locked, VersionState.APPROVED)
    approved_as = " ".join((approved_as or "").split())
    today = timezone.localdate()
    errors = {}
    if not approved_as:
        errors["approved_as"] = _("Say who approved the routine.")
    if approved_on is None:
        errors["approved_on"] = _("Give the date of the approval.")
    elif approved_on > today:
        errors["approved_on"] = _("The approval cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    effective_from = effective_from or approved_on
    locked.approved_by = None
    locked.approved_at = timezone.make_aware(
        datetime.datetime.combine(approved_on, datetime.time(12))
    )
    locked.approved_as = approved_as[:120]
    locked.effective_from = effective_from
    move(
        locked,
        VersionState.APPROVED,
        actor=actor,
        verb="routines.approved_outside",
        update=["approved_by", "approved_at", "approved_as", "effective_from"],
        approved_as=locked.approved_as,
        approved_on=approved_on.isoformat(),
    )
    if effective_from <= today:
        _publish_now(locked, actor=actor, effective_from=effective_from)
    refresh(version, locked)
    return version
