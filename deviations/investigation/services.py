"""Every change to a track after triage goes through these functions: its steps (investigate,
decide, close, reopen), the judgement of seriousness, and the investigation's record.

Nothing closes without its evidence: the closing check reads the investigation, the actions
and the notifications the law asks for (deviations/authority/recipients.py).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can
from audit.services import record_event
from deviations.authority.recipients import notification_gaps
from deviations.clocks import start_clocks, stop_clocks
from deviations.investigation.models import Investigation, TimelineEntry
from deviations.models import (
    TRACK_TRANSITIONS,
    Clock,
    DeviationStatus,
    Track,
    TrackState,
    TrackTransition,
)
from legal.rules import ClockEnd, ClockStart, TrackKind


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
        stop_clocks(track.deviation, track, ClockEnd.INVESTIGATION_STARTED, now)
        start_clocks(track.deviation, track, ClockStart.INVESTIGATION_STARTED)
    if target == TrackState.CLOSED:
        stop_clocks(track.deviation, track, ClockEnd.CLOSED, now)
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
        start_clocks(track.deviation, track, *ClockStart.values)
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


# -- the investigation's record ------------------------------------------------------------------


def investigation_of(track):
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
