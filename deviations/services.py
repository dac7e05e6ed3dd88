"""Every change to a deviation report goes through these functions: filing it, classifying it.

The work on a track after that (its steps, the seriousness, the investigation) is in
deviations/investigation/services.py; the notifications to the authorities in
deviations/authority/services.py.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can
from audit.services import record_event
from deviations.clocks import start_clocks, stop_clocks
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
    if submission_key is not None:
        existing = Deviation.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            answer = report_keys.answer_repeat(existing, actor=actor, unit=unit, fields=fields)
            if answer is not None:
                return answer
            submission_key = report_keys.fresh_key()
    deviation = Deviation(unit=unit, reported_by=actor, submission_key=submission_key, **fields)
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
):
    """Classify a report into one or more legal tracks, each with its own state and clocks.

    `expected_status` is the status the person saw: a report classified meanwhile by someone
    else is refused with their name, never classified twice."""
    if not can(actor, "deviations.triage", deviation):
        raise PermissionDenied
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
