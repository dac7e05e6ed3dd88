"""Mina uppgifter: what is waiting for one person, gathered from the modules.

The inbox is a list of sections. Each section is built by a function `builder(user, now)`
returning a `Section`, or None when it does not apply to the person; `register_section` adds
one. The inbox knows no module: each registers its own sections from its AppConfig.ready()
(deviations/inbox.py: the clocks the person answers for at order 10, reports awaiting
classification in their units at 20, the tracks they investigate at 30; actions/inbox.py: the
actions they own at 40; routines/hooks.py: its sections from 50 on):

    from notifications.inbox import Item, Section, register_section

    def acknowledgments(user, now):
        return Section("acknowledgments", _("Routines to acknowledge"), [Item(...), ...])

    register_section("acknowledgments", acknowledgments, order=50)

Every builder must show only what the person may see (visible_to / readable_by) and read a
fixed number of queries whatever the number of rows.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

# How many rows a section shows; the rest is reached through the section's link.
LIMIT = 50


@dataclass
class Item:
    """One thing to do: what, for which case, by when, and where to do it."""

    what: str
    url: str
    case: str = ""
    due: object = None  # datetime, date or None
    # The ClockUnit of a deadline counted in days: it lasts the whole of its last day and reads
    # "senast 21 december" (legal/deadlines.py). Empty: a datetime keeps its time of day.
    due_unit: str = ""
    overdue: bool = False
    escalated: bool = False  # overdue and reached the person as the next manager up
    badges: list = field(default_factory=list)  # [(text, css modifier)]: the status only
    # What sets the deadline ("Lag", "Lokalt mål"), shown with the date, not as a status.
    due_note: str = ""
    detail: str = ""

    @property
    def due_is_date(self):
        return isinstance(self.due, date) and not isinstance(self.due, datetime)

    @property
    def sort_key(self):
        if self.due is None:
            return (1, datetime.max.replace(tzinfo=timezone.get_current_timezone()))
        if self.due_is_date:
            due = timezone.make_aware(datetime.combine(self.due, datetime.min.time()))
        else:
            due = self.due
        return (0, due)


@dataclass
class Section:
    key: str
    title: str
    items: list
    more_url: str = ""
    more_count: int = 0


_SECTIONS = {}


def register_section(key, builder, order=100):
    """Add a section to every person's inbox (built only when the builder returns one)."""
    _SECTIONS[key] = (order, builder)


def sections_for(user, now=None):
    now = now or timezone.now()
    built = []
    for _order, builder in sorted(_SECTIONS.values(), key=lambda pair: pair[0]):
        section = builder(user, now)
        if section is not None:
            built.append(section)
    return built
