"""A case's clocks: started and met at the events the rule table names, moved with the holidays.

Below the services that act on a case (filing, triage, the investigation, the notifications to
the authorities): each of them starts or meets clocks here, none of them through another.

Clocks that count working days follow the organisation's holidays after they started. A holiday
added (or removed) after a clock started moves its deadline: the receiver of legal's
`holidays_changed` recomputes the running clocks of that organisation whose span includes one
of the changed days. Met clocks keep the deadline they had.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from deviations.models import Clock
from legal.clocks import due_for_rule, local_zone
from legal.rules import ClockStart, ClockUnit, DeadlineRule


def _start_time(deviation, track, start):
    return {
        ClockStart.REPORTED: deviation.reported_at,
        ClockStart.AWARE: deviation.aware_at,
        ClockStart.TRIAGED: track.created_at if track else None,
        ClockStart.INVESTIGATION_STARTED: track.investigation_started_at if track else None,
        ClockStart.SERIOUS_DECIDED: track.serious_decided_at if track else None,
    }[start]


def start_clocks(deviation, track, *starts):
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


def stop_clocks(deviation, track, end, at=None):
    """Meet the running clocks of the report (track None) or the track that `end` ends."""
    Clock.objects.filter(
        deviation=deviation, track=track, rule__ends=end, met_at__isnull=True
    ).update(met_at=at or timezone.now())


def restart_clocks(deviation, start):
    """Move the running clocks that begin with `start` to the case's time for it now (the time
    the organisation became aware, corrected). Met clocks keep the deadline they had; clocks
    not yet started start from the new time when their turn comes. Returns how many moved."""
    clocks = Clock.objects.filter(
        deviation=deviation, rule__starts=start, met_at__isnull=True
    ).select_related("rule", "track")
    moved = 0
    for clock in clocks:
        started = _start_time(deviation, clock.track, start)
        if started is None or started == clock.started_at:
            continue
        clock.started_at = started
        clock.due_at = due_for_rule(clock.rule, started, deviation.unit.root_id)
        clock.save(update_fields=["started_at", "due_at"])
        moved += 1
    return moved


def recompute_for_holidays(sender, root, days, **kwargs):
    if not days:
        return 0
    tz = local_zone()
    first = datetime.combine(min(days), time.min, tzinfo=tz)
    last = datetime.combine(max(days) + timedelta(days=1), time.min, tzinfo=tz)
    clocks = Clock.objects.filter(
        met_at__isnull=True,
        rule__unit=ClockUnit.WORKING_DAYS,
        deviation__unit__path__startswith=root.path,
        started_at__lt=last,
        due_at__gt=first,
    ).select_related("rule")
    moved = 0
    for clock in clocks:
        due = due_for_rule(clock.rule, clock.started_at, root.pk)
        if due != clock.due_at:
            clock.due_at = due
            clock.save(update_fields=["due_at"])
            moved += 1
    return moved
