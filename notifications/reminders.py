"""Deadline reminders by e-mail: before the deadline, at it, and to the next manager up when late.

The engine knows no domain app: an app whose records have deadlines registers a reminder
source from its AppConfig.ready() (the deviations' clocks: deviations/clock_reminders.py):

    from notifications.reminders import ReminderSource, register_reminder_source

    class ClockReminders(ReminderSource):
        noun = "clock"

        def open(self, now): ...  # and the other methods of ReminderSource

    register_reminder_source("clocks", ClockReminders())

`send_due_reminders(now)` asks each source, in the order registered, for its open deadlines
whose first reminder time has come and, for each stage a deadline has reached, sends each
person one e-mail:

- BEFORE: from `source.notice_hours(item)` hours before the deadline until the deadline, to the
  people responsible (a run that misses that window sends no late "before" reminder: the DUE
  one follows);
- DUE: from the deadline on, to the people responsible;
- ESCALATION: from `HJULET_ESCALATION_GRACE_HOURS` (default 24) after the deadline on, to the
  next manager up.

Each e-mail is claimed first by inserting the source's claim row under a unique constraint
(`source.claim`), in the same transaction that queues the e-mail on commit: a retry, or a second
worker at the same moment, meets the constraint and sends nothing.

`send_reminders_task` is the periodic run (notifications.tasks.PERIODIC_TASKS, registered from
NotificationsConfig.ready()).
"""

import logging
import os
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from notifications.models import ReminderKind
from notifications.services import queue_email

log = logging.getLogger(__name__)

DEFAULT_GRACE_HOURS = 24


def escalation_grace():
    """How long after the deadline an open clock escalates: the setting, or the environment."""
    hours = getattr(settings, "HJULET_ESCALATION_GRACE_HOURS", None)
    if hours is None:
        hours = os.environ.get("HJULET_ESCALATION_GRACE_HOURS", DEFAULT_GRACE_HOURS)
    return timedelta(hours=float(hours))


@dataclass
class Responsibility:
    """Who is told of one item: `people` BEFORE and DUE, `escalation` on ESCALATION."""

    people: list
    escalation: list


class ReminderSource:
    """What the engine asks of one kind of deadline: subclass it and register an instance.

    An item is one open deadline (it has a `pk`); a responsibility is whatever `responsible`
    returns for an item, with `people` (told BEFORE and DUE) and `escalation` (told on
    ESCALATION), each a sequence of users.
    """

    # What an item is called in the log.
    noun = "deadline"

    def open(self, now):
        """The open items whose first reminder time has come at `now`, soonest due first."""
        raise NotImplementedError

    def claimed(self, now):
        """(item pk, kind, recipient pk) of the reminders claimed so far for this run's items."""
        raise NotImplementedError

    def responsible(self, items):
        """A function item → its responsibility, read for the whole batch at once."""
        raise NotImplementedError

    def due_at(self, item):
        """The deadline (an aware datetime)."""
        raise NotImplementedError

    def notice_hours(self, item):
        """How many hours before the deadline the BEFORE reminder starts; 0 or None: none."""
        return 0

    def render(self, item, kind, responsibility):
        """The e-mail's (subject, body), in the organisation's language."""
        raise NotImplementedError

    def claim(self, item, kind, recipient, *, claimed_at, sent_at):
        """Insert the claim row; raise IntegrityError when it is taken already."""
        raise NotImplementedError


_SOURCES = {}


def register_reminder_source(key, source):
    """Add a source of deadlines to the reminder run (again under the same key: replaced)."""
    _SOURCES[key] = source


def reminder_sources():
    """The registered sources, in the order registered."""
    return list(_SOURCES.values())


def stages(due, notice_hours, now, grace=None):
    """The kinds of reminder a deadline `due` has reached at `now`, in order."""
    grace = escalation_grace() if grace is None else grace
    reached = []
    if notice_hours and due - timedelta(hours=notice_hours) <= now < due:
        reached.append(ReminderKind.BEFORE)
    if now >= due:
        reached.append(ReminderKind.DUE)
    if now >= due + grace:
        reached.append(ReminderKind.ESCALATION)
    return reached


def claim_and_send(source, item, kind, recipient, responsibility):
    """Claim the reminder and queue its e-mail; False when someone else already has it."""
    subject = body = None
    if recipient.email:
        subject, body = source.render(item, kind, responsibility)
    claimed = timezone.now()
    try:
        with transaction.atomic():
            source.claim(
                item,
                kind,
                recipient,
                claimed_at=claimed,
                sent_at=claimed if recipient.email else None,
            )
            if recipient.email:
                queue_email(subject=subject, body=body, to=[recipient.email])
    except IntegrityError:
        return False
    if not recipient.email:
        log.warning(
            "reminder for %s %s not sent: user %s has no e-mail", source.noun, item.pk, recipient.pk
        )
    return True


def send_source_reminders(source, now, grace):
    """Send one source's reminders that are due at `now`; returns how many."""
    items = list(source.open(now))
    if not items:
        return 0
    responsible = source.responsible(items)
    claimed = source.claimed(now)
    sent = 0
    for item in items:
        reached = stages(source.due_at(item), source.notice_hours(item), now, grace)
        if not reached:
            continue
        responsibility = responsible(item)
        for kind in reached:
            people = (
                responsibility.escalation
                if kind == ReminderKind.ESCALATION
                else responsibility.people
            )
            for person in people:
                if (item.pk, kind, person.pk) in claimed:
                    continue
                if claim_and_send(source, item, kind, person, responsibility):
                    sent += 1
    return sent


def send_due_reminders(now=None):
    """Send every reminder that is due at `now` and not sent before; returns how many."""
    now = now or timezone.now()
    grace = escalation_grace()
    return sum(send_source_reminders(source, now, grace) for source in reminder_sources())


@task()
def send_reminders_task():
    """The periodic reminder run (idempotent: a second run at once sends nothing)."""
    return send_due_reminders()
