"""Deadline arithmetic for the clocks of the rule tables.

Hours are elapsed time: GDPR's 72 hours are 72 real hours, also across a change to or from
daylight saving time. Day-based deadlines end at midnight local time at the end of the last
day, and working days skip weekends and the organisation's holidays.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from legal.rules import ClockUnit, Holiday


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


def add_working_days(day, amount, holidays):
    while amount > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            amount -= 1
    return day


def end_of_day(day, tz):
    # The first moment of the next day: "within 14 days" includes all of the 14th day.
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def due_at(start, amount, unit, holidays=frozenset()):
    """When a clock started at `start` (aware datetime) runs out."""
    if unit == ClockUnit.HOURS:
        # In UTC: arithmetic on a zoned datetime would add wall-clock hours.
        return start.astimezone(UTC) + timedelta(hours=amount)
    tz = local_zone()
    day = start.astimezone(tz).date()
    if unit == ClockUnit.CALENDAR_DAYS:
        return end_of_day(day + timedelta(days=amount), tz)
    if unit == ClockUnit.WORKING_DAYS:
        return end_of_day(add_working_days(day, amount, holidays), tz)
    raise ValueError(f"unknown clock unit {unit!r}")


def holidays_for(root_id, start, years=2):
    """The organisation's holidays from the start's year on, as a set of dates."""
    return set(
        Holiday.objects.filter(
            organisation_id=root_id,
            date__gte=start.date(),
            date__lt=start.date() + timedelta(days=366 * years),
        ).values_list("date", flat=True)
    )


def due_for_rule(rule, start, root_id=None):
    holidays = holidays_for(root_id, start) if rule.unit == ClockUnit.WORKING_DAYS else set()
    return due_at(start, rule.amount, rule.unit, holidays)
