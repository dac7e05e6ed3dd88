from datetime import date, datetime
from zoneinfo import ZoneInfo

from legal.clocks import add_working_days, due_at
from legal.rules import ClockUnit

STHLM = ZoneInfo("Europe/Stockholm")


def local(*args):
    return datetime(*args, tzinfo=STHLM)


def test_hours_are_elapsed_time_across_the_end_of_summer_time():
    # Summer time ends 2026-10-25 03:00 → 02:00: 72 hours later is an hour earlier on the clock.
    start = local(2026, 10, 24, 12, 0)
    assert due_at(start, 72, ClockUnit.HOURS).astimezone(STHLM) == local(2026, 10, 27, 11, 0)


def test_hours_across_the_start_of_summer_time():
    # Summer time starts 2026-03-29 02:00 → 03:00.
    start = local(2026, 3, 28, 12, 0)
    assert due_at(start, 72, ClockUnit.HOURS).astimezone(STHLM) == local(2026, 3, 31, 13, 0)


def test_calendar_days_end_at_local_midnight_whatever_the_offset():
    start = local(2026, 10, 20, 15, 30)  # summer time (+02)
    due = due_at(start, 14, ClockUnit.CALENDAR_DAYS)
    assert due == local(2026, 11, 4, 0, 0)  # winter time (+01): all of 3 November included
    assert due.utcoffset().total_seconds() == 3600


def test_working_days_skip_weekends():
    friday = local(2026, 11, 20, 16, 0)
    assert due_at(friday, 1, ClockUnit.WORKING_DAYS) == local(2026, 11, 24, 0, 0)  # Monday


def test_working_days_skip_the_organisations_holidays():
    christmas = {date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 31), date(2027, 1, 1)}
    start = local(2026, 12, 23, 9, 0)  # Wednesday
    assert add_working_days(date(2026, 12, 23), 1, christmas) == date(2026, 12, 28)
    assert due_at(start, 3, ClockUnit.WORKING_DAYS, christmas) == local(2026, 12, 31, 0, 0)


def test_zero_length_clock_ends_the_same_day():
    start = local(2026, 11, 23, 10, 0)
    assert due_at(start, 0, ClockUnit.WORKING_DAYS) == local(2026, 11, 24, 0, 0)
