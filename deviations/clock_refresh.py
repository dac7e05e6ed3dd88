"""Clocks that count working days follow the organisation's holidays after they started.

A holiday added (or removed) after a clock started moves its deadline: the receiver of
legal's `holidays_changed` recomputes the running clocks of that organisation whose span
includes one of the changed days. Met clocks keep the deadline they had.
"""

from datetime import datetime, time, timedelta

from legal.clocks import due_for_rule, local_zone
from legal.rules import ClockUnit


def recompute_for_holidays(sender, root, days, **kwargs):
    from deviations.models import Clock

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
