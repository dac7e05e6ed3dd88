"""Every change to a deviation goes through these functions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can
from audit.services import record_event
from deviations import report_keys
from deviations.models import (
    TRACK_TRANSITIONS,
    Clock,
    Deviation,
    DeviationStatus,
    ReferenceSequence,
    Track,
    TrackState,
    TrackTransition,
)
from legal.clocks import due_for_rule
from legal.rules import ClockEnd, ClockStart, DeadlineRule, TrackKind

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
    """File a report. A submission key that comes back follows deviations/report_keys.py: the
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
    _start_clocks(deviation, None, ClockStart.REPORTED)
    record_event(deviation, "deviations.reported", actor)
    return deviation


def _start_time(deviation, track, start):
    return {
        ClockStart.REPORTED: deviation.reported_at,
        ClockStart.AWARE: deviation.aware_at,
        ClockStart.TRIAGED: track.created_at if track else None,
        ClockStart.INVESTIGATION_STARTED: track.investigation_started_at if track else None,
        ClockStart.SERIOUS_DECIDED: track.serious_decided_at if track else None,
    }[start]


def _start_clocks(deviation, track, *starts):
    """Start the rule table's clocks that begin with one of these events and have not yet.

    A clock kept for serious cases starts only once the track is judged serious.
    """
    rules = DeadlineRule.objects.in_force().filter(
        track=track.kind if track else "", starts__in=starts
    )
    for rule in rules:
        if rule.only_when_serious and not (track and track.serious):
            continue
        started = _start_time(deviation, track, rule.starts)
        if started is None:
            continue
        Clock.objects.get_or_create(
            deviation=deviation,
            track=track,
            rule=rule,
            defaults={
                "started_at": started,
                "due_at": due_for_rule(rule, started, deviation.unit.root_id),
            },
        )


def _stop_clocks(deviation, track, end, at=None):
    Clock.objects.filter(
        deviation=deviation, track=track, rule__ends=end, met_at__isnull=True
    ).update(met_at=at or timezone.now())


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
        _start_clocks(deviation, track, ClockStart.TRIAGED, ClockStart.AWARE, ClockStart.REPORTED)
        created.append(track)
    _stop_clocks(deviation, None, ClockEnd.TRIAGED, now)
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


def may_work_on(user, track):
    """Investigating needs the key over the unit, and for a restricted track to be its reader."""
    return can(user, "deviations.investigate", track.deviation) and (
        Track.objects.readable_by(user).filter(pk=track.pk).exists()
    )


@transaction.atomic
def move_track(track, action, *, actor, note=""):
    """Move a track along TRACK_TRANSITIONS; anything else is refused."""
    if not may_work_on(actor, track):
        raise PermissionDenied
    try:
        source, target = TRACK_TRANSITIONS[action]
    except KeyError:
        raise ValidationError(_("Unknown step."), code="unknown") from None
    track = Track.objects.select_for_update().get(pk=track.pk)
    if track.state != source:
        raise ValidationError(
            _("The track is %(state)s; that step is not possible now.")
            % {"state": track.get_state_display()},
            code="state",
        )
    if action == "decide":
        gaps = decision_gaps(track)
        if gaps:
            raise ValidationError(
                _("Before deciding, record %(missing)s.") % {"missing": ", ".join(gaps)},
                code="gaps",
            )
    if action == "close":
        gaps = closing_gaps(track)
        if gaps:
            raise ValidationError(
                _("Before closing, record %(missing)s.") % {"missing": ", ".join(gaps)},
                code="gaps",
            )
    now = timezone.now()
    if action == "decide":
        investigation = investigation_of(track)
        investigation.decided_by, investigation.decided_at = actor, now
        investigation.save(update_fields=["decided_by", "decided_at"])
    if action == "start_investigation":
        track.investigation_started_at = now
    if target == TrackState.CLOSED:
        track.closed_at = now
    elif action == "reopen":
        track.closed_at = None
    track.state = target
    track.save()
    TrackTransition.objects.create(
        track=track,
        action=action,
        from_state=source,
        to_state=target,
        actor=actor,
        at=now,
        note=note,
    )
    if action == "start_investigation":
        _stop_clocks(track.deviation, track, ClockEnd.INVESTIGATION_STARTED, now)
        _start_clocks(track.deviation, track, ClockStart.INVESTIGATION_STARTED)
    if target == TrackState.CLOSED:
        _stop_clocks(track.deviation, track, ClockEnd.CLOSED, now)
    _sync_status(track.deviation, now)
    record_event(
        track.deviation,
        "deviations.track_moved",
        actor,
        track=track.get_kind_display(),
        state=track.get_state_display(),
    )
    return track


@transaction.atomic
def decide_serious(track, serious, *, actor):
    """Record whether the case is serious; a serious one starts the notification clocks."""
    if not may_work_on(actor, track):
        raise PermissionDenied
    # Locked, and the caller's copy refreshed: it may predate the investigation start that the
    # clocks count from.
    list(Track.objects.select_for_update().filter(pk=track.pk).values_list("pk"))
    track.refresh_from_db()
    if track.state not in (TrackState.OPEN, TrackState.INVESTIGATING):
        raise ValidationError(_("Seriousness is judged while the case is open."), code="state")
    track.serious = serious
    track.serious_decided_at = timezone.now()
    track.save(update_fields=["serious", "serious_decided_at"])
    if serious:
        _start_clocks(track.deviation, track, *ClockStart.values)
    else:
        Clock.objects.filter(
            track=track, rule__only_when_serious=True, met_at__isnull=True
        ).delete()
    record_event(
        track.deviation,
        "deviations.serious_decided",
        actor,
        track=track.get_kind_display(),
        track_id=track.pk,
        verdict=_("serious") if serious else _("not serious"),
    )
    return track


def _sync_status(deviation, now):
    open_tracks = deviation.tracks.exclude(state=TrackState.CLOSED).exists()
    status = DeviationStatus.TRIAGED if open_tracks else DeviationStatus.CLOSED
    if deviation.status != status:
        deviation.status = status
        deviation.closed_at = None if open_tracks else now
        deviation.save(update_fields=["status", "closed_at"])


# -- investigation ----------------------------------------------------------------------------


def investigation_of(track):
    from deviations.models import Investigation

    return Investigation.objects.get_or_create(track=track)[0]


def _check_investigating(actor, track):
    """Locks the track: a decision or closing at the same moment waits for this write."""
    if not may_work_on(actor, track):
        raise PermissionDenied
    track.state = Track.objects.select_for_update().values_list("state", flat=True).get(pk=track.pk)
    if track.state not in (TrackState.INVESTIGATING, TrackState.DECIDED):
        raise ValidationError(_("Start the investigation first."), code="state")


@transaction.atomic
def add_track_action(track, *, actor, **fields):
    """An action from the investigation; the track is locked so it cannot close meanwhile."""
    from actions.services import create_action

    if not may_work_on(actor, track):
        raise PermissionDenied
    state = Track.objects.select_for_update().values_list("state", flat=True).get(pk=track.pk)
    if state == TrackState.CLOSED:
        raise ValidationError(_("The track has been closed; reopen it to add an action."))
    return create_action(actor=actor, unit=track.deviation.unit, source=track, **fields)


INVESTIGATION_FIELDS = (
    "participants",
    "cause_analysis",
    "person_informed_on",
    "person_heard_on",
    "person_view",
    "not_informed_reason",
    "conclusion",
    "decision",
    "no_action_reason",
)


@transaction.atomic
def save_investigation(track, *, actor, causes=None, **fields):
    """Record what the investigation found; the decision itself is the `decide` step."""
    _check_investigating(actor, track)
    unknown = set(fields) - set(INVESTIGATION_FIELDS)
    if unknown:
        raise ValueError(f"not investigation fields: {sorted(unknown)}")
    investigation = investigation_of(track)
    for name, value in fields.items():
        setattr(investigation, name, value.strip() if isinstance(value, str) else value)
    informed, heard = investigation.person_informed_on, investigation.person_heard_on
    if informed and heard and heard < informed:
        raise ValidationError(
            {"person_heard_on": _("The person can be heard only once informed.")}, code="order"
        )
    investigation.save()
    if causes is not None:
        investigation.causes.set(causes)
    record_event(
        track.deviation,
        "deviations.investigation_saved",
        actor,
        track=track.get_kind_display(),
        track_id=track.pk,
    )
    return investigation


@transaction.atomic
def add_timeline_entry(track, *, actor, at, text):
    from deviations.models import TimelineEntry

    _check_investigating(actor, track)
    if not text.strip():
        raise ValidationError({"text": _("Say what happened.")}, code="required")
    return TimelineEntry.objects.create(
        investigation=investigation_of(track), at=at, text=text.strip(), added_by=actor
    )


def decision_gaps(track):
    investigation = investigation_of(track)
    gaps = []
    if not investigation.conclusion:
        gaps.append(_("a conclusion"))
    if not investigation.decision:
        gaps.append(_("a decision"))
    return gaps


def closing_gaps(track):
    """What is missing before the track may close: nothing closes without its evidence."""
    from actions.services import actions_for

    investigation = investigation_of(track)
    gaps = []
    if not investigation.causes.exists():
        gaps.append(_("a cause at system level"))
    if not investigation.no_action_reason and not actions_for(track).exists():
        gaps.append(_("an action, or the reason no action is needed"))
    restricted = track.kind in (TrackKind.LEX_SARAH, TrackKind.LEX_MARIA)
    affected = track.deviation.service_user_affected != "no"
    if (
        restricted
        and affected
        and not investigation.not_informed_reason
        and not (investigation.person_informed_on and investigation.person_heard_on)
    ):
        gaps.append(_("the date the person concerned was informed and could give their view"))
    gaps.extend(notification_gaps(track))
    return gaps


def notification_gaps(track):
    """A notification the law asks for must be sent (or, where lawful, documented as not)."""
    from deviations.notification_services import RECIPIENTS
    from deviations.notifications import NotificationState, Recipient

    done = {n.recipient: n.state for n in track.notifications.all()}
    gaps = []
    for rule in RECIPIENTS.get(track.kind, ()):
        if rule.needs_serious and not track.serious:
            continue
        state = done.get(rule.recipient)
        finished = {NotificationState.SENT, NotificationState.DECIDED}
        if rule.may_decline:
            finished.add(NotificationState.NOT_NOTIFIED)
        if state not in finished:
            gaps.append(
                _("the notification to %(recipient)s, sent or documented")
                % {"recipient": Recipient(rule.recipient).label}
                if rule.may_decline
                else _("the notification to %(recipient)s, sent")
                % {"recipient": Recipient(rule.recipient).label}
            )
    return gaps
