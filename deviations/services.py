"""Every change to a deviation report goes through these functions: filing it, classifying it,
recording when the organisation became aware of it.

The work on a track after that (its steps, the seriousness, the investigation) is in
deviations/investigation/services.py; the notifications to the authorities in
deviations/authority/services.py.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can
from audit.services import record_event
from deviations.arrival import notify_arrival
from deviations.categories import categories_for
from deviations.clocks import restart_clocks, start_clocks, stop_clocks
from deviations.models import (
    Deviation,
    DeviationStatus,
    ReferenceSequence,
    Track,
    TrackState,
    TrackTransition,
)
from deviations.reporting import keys as report_keys
from legal.rules import ClockEnd, ClockStart, TrackKind

REFERENCE = "AV-{year}-{number:06d}"
# triage(category=KEEP): the kind of event stays as it is.
KEEP = object()
# A computer's clock may run a little ahead of the server's.
FUTURE_TOLERANCE = timedelta(minutes=5)


def next_reference(when):
    """The next number of the year, taken under a row lock so two reports never share one."""
    year = timezone.localtime(when).year
    ReferenceSequence.objects.get_or_create(year=year)
    sequence = ReferenceSequence.objects.select_for_update().get(year=year)
    sequence.last = F("last") + 1
    sequence.save(update_fields=["last"])
    sequence.refresh_from_db(fields=["last"])
    return REFERENCE.format(year=year, number=sequence.last)


@transaction.atomic
def report(*, actor, unit, submission_key=None, **fields):
    """File a report. A submission key that comes back follows deviations/reporting/keys.py: the
    same content gives the first report back (`repeated`), other content raises
    SubmissionKeyReused, another person's key files under a fresh one."""
    if not can(actor, "deviations.report", unit):
        raise PermissionDenied
    check_category(unit, fields.get("category"))
    if submission_key is not None:
        existing = Deviation.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            answer = report_keys.answer_repeat(existing, actor=actor, unit=unit, fields=fields)
            if answer is not None:
                return answer
            submission_key = report_keys.fresh_key()
    deviation = Deviation(unit=unit, reported_by=actor, submission_key=submission_key, **fields)
    if "aware_at" not in fields:
        # Until the person who classifies the report says otherwise, the organisation became
        # aware when the report was made.
        deviation.aware_at = deviation.reported_at
    deviation.reference = next_reference(deviation.reported_at)
    try:
        with transaction.atomic():
            deviation.save()
    except IntegrityError:
        # A concurrent double submit won the race: answer as if it had come first.
        existing = Deviation.objects.get(submission_key=submission_key)
        answer = report_keys.answer_repeat(existing, actor=actor, unit=unit, fields=fields)
        if answer is not None:
            return answer
        raise
    deviation.repeated = False
    start_clocks(deviation, None, ClockStart.REPORTED)
    record_event(deviation, "deviations.reported", actor)
    # Those who classify it hear of it on commit: at once or in a daily summary (arrival.py).
    notify_arrival(deviation)
    return deviation


def _classified_by(deviation):
    first = (
        TrackTransition.objects.filter(track__deviation=deviation, action="classify")
        .select_related("actor")
        .order_by("at", "pk")
        .first()
    )
    if first is None or first.actor is None:
        return _("The report has already been classified. Reload the page to see how.")
    return _(
        "%(name)s classified the report at %(time)s, just before you. Reload the page to see "
        "how; nothing of yours was saved."
    ) % {"name": first.actor, "time": timezone.localtime(first.at).strftime("%H:%M")}


@transaction.atomic
def triage(
    deviation,
    *,
    actor,
    kinds,
    reason="",
    work_environment=False,
    investigators=(),
    expected_status=DeviationStatus.REPORTED,
    aware_at=None,
    category=KEEP,
):
    """Classify a report into one or more legal tracks, each with its own state and clocks.

    `expected_status` is the status the person saw: a report classified meanwhile by someone
    else is refused with their name, never classified twice. `aware_at` is when the
    organisation became aware (None: as recorded, the report time unless changed); the clocks
    that start then (GDPR's 72 hours) count from it. `category` sets or corrects the kind of
    event (KEEP: as reported)."""
    if not can(actor, "deviations.triage", deviation):
        raise PermissionDenied
    if aware_at is not None:
        check_aware_at(deviation, aware_at)
    if category is not KEEP and category is not None and category.pk != deviation.category_id:
        check_category(deviation.unit, category)
    kinds = list(dict.fromkeys(kinds))
    if not kinds:
        raise ValidationError(_("Choose at least one track."), code="no_track")
    if TrackKind.NOT_DEVIATION in kinds:
        if len(kinds) > 1:
            raise ValidationError(
                _("“Not a deviation” cannot be combined with another track."), code="exclusive"
            )
        if not reason.strip():
            raise ValidationError(_("Say why the report is not a deviation."), code="reason")
    # The rules span the report's tracks: lock the report so a second manager classifying at
    # the same moment waits, then sees the first one's tracks instead of adding to them.
    locked = Deviation.objects.select_for_update().get(pk=deviation.pk)
    deviation.status, deviation.work_environment = locked.status, locked.work_environment
    existing = set(deviation.tracks.values_list("kind", flat=True))
    if locked.status != expected_status:
        raise ValidationError(_classified_by(deviation), code="classified")
    if TrackKind.NOT_DEVIATION in existing or (existing and TrackKind.NOT_DEVIATION in kinds):
        raise ValidationError(_("The report has already been classified."), code="classified")
    if aware_at is not None:
        _set_aware_at(deviation, aware_at, actor)
    if category is not KEEP:
        _set_category(deviation, category, actor)
    now = timezone.now()
    created = []
    for kind in kinds:
        if kind in existing:
            continue
        closed = kind == TrackKind.NOT_DEVIATION
        track = Track.objects.create(
            deviation=deviation,
            kind=kind,
            created_by=actor,
            created_at=now,
            reason=reason.strip() if closed else "",
            state=TrackState.CLOSED if closed else TrackState.OPEN,
            closed_at=now if closed else None,
        )
        track.investigators.set(investigators)
        TrackTransition.objects.create(
            track=track,
            action="classify",
            from_state="",
            to_state=track.state,
            actor=actor,
            at=now,
            note=track.reason,
        )
        start_clocks(deviation, track, ClockStart.TRIAGED, ClockStart.AWARE, ClockStart.REPORTED)
        created.append(track)
    stop_clocks(deviation, None, ClockEnd.TRIAGED, now)
    deviation.work_environment = deviation.work_environment or work_environment
    deviation.status = (
        DeviationStatus.CLOSED if kinds == [TrackKind.NOT_DEVIATION] else DeviationStatus.TRIAGED
    )
    deviation.closed_at = now if deviation.status == DeviationStatus.CLOSED else None
    deviation.save(update_fields=["work_environment", "status", "closed_at"])
    record_event(
        deviation,
        "deviations.triaged",
        actor,
        tracks=", ".join(str(t.get_kind_display()) for t in created),
    )
    return created


# -- when the organisation became aware ---------------------------------------------------------


def may_change_aware_at(user, deviation):
    """Those who classify or investigate the case's reports may correct the time."""
    return can(user, "deviations.triage", deviation) or can(
        user, "deviations.investigate", deviation
    )


def _minute(when):
    return when.replace(second=0, microsecond=0)


def _shown(when):
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


def check_aware_at(deviation, aware_at):
    """Refuse a time in the future or before the event (to the minute, as the form gives it)."""
    if aware_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"aware_at": _("The time cannot be in the future.")}, code="future")
    if deviation.occurred_at and aware_at < _minute(deviation.occurred_at):
        raise ValidationError(
            {
                "aware_at": _(
                    "The organisation cannot have become aware before the event happened "
                    "(%(when)s)."
                )
                % {"when": _shown(deviation.occurred_at)}
            },
            code="before_event",
        )


def _set_aware_at(deviation, aware_at, actor):
    """Record the time, move the running clocks that start at it, and say so in the history.
    The same minute as recorded is no change (the form shows minutes)."""
    old = deviation.aware_at
    if old is not None and _minute(old) == _minute(aware_at):
        return False
    deviation.aware_at = aware_at
    deviation.save(update_fields=["aware_at"])
    restart_clocks(deviation, ClockStart.AWARE)
    record_event(
        deviation,
        "deviations.aware_changed",
        actor,
        old=_shown(old) if old else "–",
        new=_shown(aware_at),
    )
    return True


@transaction.atomic
def change_aware_at(deviation, *, actor, aware_at):
    """Correct when the organisation became aware, after classification too: the running clocks
    that start at it (GDPR's 72 hours) get a new deadline, and the rule that a late notification
    gives its reason follows it. Met clocks keep theirs; a notification already sent keeps the
    time it gave. Returns whether anything changed."""
    if not may_change_aware_at(actor, deviation):
        raise PermissionDenied
    locked = Deviation.objects.select_for_update().get(pk=deviation.pk)
    if locked.status == DeviationStatus.CLOSED:
        raise ValidationError(
            _("The case is closed: the time can no longer be changed."), code="closed"
        )
    check_aware_at(locked, aware_at)
    changed = _set_aware_at(locked, aware_at, actor)
    deviation.aware_at = locked.aware_at
    return changed


# -- the kind of event --------------------------------------------------------------------------


def check_category(unit, category):
    """Refuse a kind of event that is not offered at the unit (deviations/categories.py)."""
    if category is None or any(c.pk == category.pk for c in categories_for(unit)):
        return
    message = _("“%(category)s” is not used at %(unit)s.") % {"category": category, "unit": unit}
    raise ValidationError({"category": ValidationError(message, code="category_not_offered")})


def _set_category(deviation, category, actor):
    """Record the kind of event and name the old and the new one in the history."""
    new_id = category.pk if category is not None else None
    if deviation.category_id == new_id:
        return False
    old = deviation.category
    deviation.category = category
    deviation.save(update_fields=["category"])
    if old is None:
        record_event(deviation, "deviations.category_set", actor, new=category.name)
    else:
        record_event(
            deviation,
            "deviations.category_changed",
            actor,
            old=old.name,
            new=category.name if category else "–",
        )
    return True


def may_change_category(user, deviation):
    """Those who classify the unit's reports, while the case is open."""
    return deviation.status != DeviationStatus.CLOSED and can(user, "deviations.triage", deviation)


@transaction.atomic
def change_category(deviation, *, actor, category):
    """Set or correct the kind of event after classification. Keeping one no longer offered at
    the unit is allowed; choosing one is checked as at reporting. Returns whether it changed."""
    if not can(actor, "deviations.triage", deviation):
        raise PermissionDenied
    locked = Deviation.objects.select_for_update().select_related("unit").get(pk=deviation.pk)
    if locked.status == DeviationStatus.CLOSED:
        raise ValidationError(
            _("The case is closed: the kind of event can no longer be changed."), code="closed"
        )
    if category is not None and category.pk != locked.category_id:
        check_category(locked.unit, category)
    changed = _set_category(locked, category, actor)
    deviation.category = locked.category
    return changed
