"""How a deadline reads, wherever one is shown: the case page, the register, Mina uppgifter, the
reminder e-mails, the case PDF and the notification page all use these functions (templates
through legal/templatetags/deadline_tags.py).

A deadline counted in days (calendar or working days) lasts the whole of its last day: the clock
runs out at the midnight that ends the day (legal/clocks.py), so it reads "senast 21 december",
never "2026-12-22 00:00". A deadline counted in hours keeps its date and time: "senast
6 december kl. 14:00". The year is named when it is not the current one. A clock met after its
deadline says by how much: "klar 2 dagar för sent", "klar 5 timmar för sent".
"""

import math
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext, pgettext

from legal.clocks import local_zone
from legal.rules import ClockUnit

DAY_UNITS = (ClockUnit.CALENDAR_DAYS, ClockUnit.WORKING_DAYS)


def whole_day(unit):
    """Whether a deadline in this unit lasts the whole of its last day."""
    return unit in DAY_UNITS


def _is_date(value):
    return isinstance(value, date) and not isinstance(value, datetime)


def last_day(due):
    """The last whole day of a day deadline that runs out at `due`, the midnight ending it."""
    if _is_date(due):
        return due
    return (due.astimezone(local_zone()) - timedelta(microseconds=1)).date()


def _day(day, today):
    return date_format(day, "j F" if day.year == today.year else "j F Y")


def deadline_when(due, unit=None, today=None):
    """The moment alone: "21 December" (a day deadline or a date), "6 December at 14:00"."""
    if due is None:
        return ""
    today = today or timezone.localdate()
    if _is_date(due) or whole_day(unit):
        return _day(last_day(due), today)
    local = due.astimezone(local_zone())
    return pgettext("deadline", "%(day)s at %(time)s") % {
        "day": _day(local.date(), today),
        "time": local.strftime("%H:%M"),
    }


def deadline_text(due, unit=None, today=None):
    """The deadline as a phrase: "by 21 December", "by 6 December at 14:00"."""
    if due is None:
        return ""
    return pgettext("deadline", "by %(when)s") % {"when": deadline_when(due, unit, today)}


def deadline_iso(due, unit=None):
    """For <time datetime>: the last day of a day deadline, the moment of an hour deadline."""
    if due is None:
        return ""
    if _is_date(due) or whole_day(unit):
        return last_day(due).isoformat()
    return due.astimezone(local_zone()).replace(microsecond=0).isoformat()


def late_by(due, met, unit=None):
    """How late a deadline was met: (number, "days" or "hours"), or None when in time.

    A day deadline counts the days after its last day. An hour deadline counts begun hours up
    to two days, then days (rounded to the nearest)."""
    if due is None or met is None or met <= due:
        return None
    if whole_day(unit):
        return (met.astimezone(local_zone()).date() - last_day(due)).days, "days"
    hours = math.ceil((met - due).total_seconds() / 3600)
    if hours < 48:
        return hours, "hours"
    return (hours + 12) // 24, "days"


def lateness_text(due, met, unit=None):
    """ "done 2 days late", "done 5 hours late", or "" when the deadline was met in time."""
    late = late_by(due, met, unit)
    if late is None:
        return ""
    n, what = late
    if what == "days":
        return ngettext("done %(n)d day late", "done %(n)d days late", n) % {"n": n}
    return ngettext("done %(n)d hour late", "done %(n)d hours late", n) % {"n": n}


def _unit_of(clock):
    rule = getattr(clock, "rule", None)
    return getattr(rule, "unit", None)


def clock_deadline(clock, today=None):
    """A clock's deadline as a phrase (anything with `due_at` and `rule.unit`)."""
    return deadline_text(clock.due_at, _unit_of(clock), today)


def clock_lateness(clock):
    return lateness_text(clock.due_at, clock.met_at, _unit_of(clock))
