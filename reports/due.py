"""When a yearly report is due, as data (reports/data/due.json): the patient safety report by
1 March of the year after (PSL 3 kap 10 §, a date the law sets), the quality report by the
organisation's own target in the spring (SOSFS 2011:9 7 kap sets no date). Mina uppgifter
(reports/inbox.py) and the reminder e-mails (reports/reminders.py) read the same dates.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

DATA = Path(__file__).parent / "data" / "due.json"


@dataclass(frozen=True)
class Due:
    on: date
    law: bool  # set by the law; else the organisation's own target
    says: str

    @property
    def note(self):
        """What sets the date, as Mina uppgifter shows it beside the date."""
        return _("Law") if self.law else _("Local target")


@cache
def _data():
    return json.loads(DATA.read_text(encoding="utf-8"))


def notice_days():
    """How many days before its date the first reminder of a report goes out."""
    return int(_data()["notice_days"])


def due_for(kind, year):
    """The due date of a report of `kind` about `year`, or None when the data names none."""
    rule = _data()["reports"].get(kind)
    if rule is None:
        return None
    on = date(year + int(rule["years_after"]), int(rule["month"]), int(rule["day"]))
    return Due(on=on, law=bool(rule["law"]), says=rule["says"])


def due_of(report):
    return due_for(report.kind, report.year)


def to_start(kind):
    """(the role codes expected to start a report of `kind`, how many days before its date the
    reminder to start it shows), or None when the data names no one."""
    rule = _data()["reports"].get(kind) or {}
    if not rule.get("started_by"):
        return None
    return list(rule["started_by"]), int(rule.get("lead_days", notice_days()))
