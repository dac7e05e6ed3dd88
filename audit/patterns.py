"""Loggkontroll: unusual patterns in the reads of sensitive records, per person and period.

Three signals, with their thresholds in audit/data/log_review.json (data, not code):
- many reads: a day with more reads than `many_reads_per_day`;
- outside working hours: before `start`, after `end`, on a day not in `working_weekdays`
  (1 = Monday) or on a holiday of the organisation's calendar;
- outside the usual units: a record of a unit that is neither a unit where the person has a
  role of their own nor one whose records they read in the `usual_units_days` before the
  period.
Refused attempts (403/404 at a record that exists) are counted apart.
"""

import datetime
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils import timezone

from audit.models import AccessLog

RULES_FILE = Path(__file__).parent / "data" / "log_review.json"


@cache
def rules():
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    hours = data["working_hours"]
    return {
        "start": datetime.time.fromisoformat(hours["start"]),
        "end": datetime.time.fromisoformat(hours["end"]),
        "weekdays": frozenset(data["working_weekdays"]),
        "many_reads_per_day": int(data["many_reads_per_day"]),
        "usual_units_days": int(data["usual_units_days"]),
        "sample_size": int(data["sample_size"]),
    }


def _holidays(start, end):
    from legal.rules import Holiday

    return set(Holiday.objects.filter(date__range=(start, end)).values_list("date", flat=True))


def outside_hours(at, holidays, r=None):
    r = r or rules()
    local = timezone.localtime(at)
    return (
        local.isoweekday() not in r["weekdays"]
        or local.date() in holidays
        or not (r["start"] <= local.time() < r["end"])
    )


def _period_rows(start, end):
    return AccessLog.objects.filter(at__date__gte=start, at__date__lte=end)


def usual_units(user_ids, start):
    """{user id: unit ids} that count as the person's usual units for a period from `start`."""
    from accounts.models import RoleAssignment

    usual = defaultdict(set)
    for user_id, node_id in (
        RoleAssignment.objects.active()
        .filter(user_id__in=user_ids)
        .values_list("user_id", "node_id")
    ):
        usual[user_id].add(node_id)
    since = start - datetime.timedelta(days=rules()["usual_units_days"])
    for user_id, unit_id in (
        AccessLog.objects.filter(
            user_id__in=user_ids, at__date__gte=since, at__date__lt=start, denied=False
        )
        .exclude(unit_id=None)
        .values_list("user_id", "unit_id")
        .distinct()
    ):
        usual[user_id].add(unit_id)
    return usual


@dataclass
class PersonPattern:
    user_id: int | None
    name: str
    reads: int = 0
    denied: int = 0
    outside_hours: int = 0
    outside_units: int = 0
    busiest_day: datetime.date | None = None
    busiest_count: int = 0
    days: Counter = field(default_factory=Counter)

    @property
    def many_reads(self):
        return self.busiest_count > rules()["many_reads_per_day"]

    @property
    def unusual(self):
        return bool(self.many_reads or self.outside_hours or self.outside_units or self.denied)


class Flags:
    """Which rows of a period are unusual: built once, asked per row."""

    def __init__(self, start, end, user_ids):
        self.rules = rules()
        self.holidays = _holidays(start, end)
        self.usual = usual_units(user_ids, start)

    def outside_hours(self, row):
        return outside_hours(row.at, self.holidays, self.rules)

    def outside_units(self, row):
        return row.unit_id is not None and row.unit_id not in self.usual.get(row.user_id, ())


def person_patterns(start, end, user_id=None):
    """One PersonPattern per person who read sensitive records in the period, most unusual
    first."""
    rows = _period_rows(start, end)
    if user_id:
        rows = rows.filter(user_id=user_id)
    rows = rows.only("user_id", "user_repr", "at", "unit_id", "denied")
    user_ids = set(rows.values_list("user_id", flat=True).distinct()) - {None}
    flags = Flags(start, end, user_ids)
    people = {}
    for row in rows.iterator(chunk_size=2000):
        key = row.user_id or row.user_repr
        person = people.get(key)
        if person is None:
            person = people[key] = PersonPattern(row.user_id, row.user_repr)
        if row.denied:
            person.denied += 1
            continue
        person.reads += 1
        person.days[timezone.localtime(row.at).date()] += 1
        person.outside_hours += flags.outside_hours(row)
        person.outside_units += flags.outside_units(row)
    for person in people.values():
        if person.days:
            person.busiest_day, person.busiest_count = person.days.most_common(1)[0]
    return sorted(
        people.values(),
        key=lambda p: (not p.unusual, -(p.outside_hours + p.outside_units + p.denied), p.name),
    )


def flag_rows(rows, start, end):
    """Annotate access-log rows (a sample) with their signals for display."""
    rows = list(rows)
    flags = Flags(start, end, {r.user_id for r in rows if r.user_id})
    for row in rows:
        row.outside_hours = flags.outside_hours(row)
        row.outside_units = not row.denied and flags.outside_units(row)
    return rows
