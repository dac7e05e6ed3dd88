"""Deadline reminders by e-mail: before the deadline, at it, and to the next manager up when late.

`send_due_reminders(now)` looks at every open clock (met_at empty) and, for each stage the clock
has reached, sends each person one e-mail:

- BEFORE: from `rule.remind_before_hours` before the deadline until the deadline, to the people
  responsible (a run that misses that window sends no late "before" reminder: the DUE one
  follows);
- DUE: from the deadline on, to the people responsible;
- ESCALATION: from `HJULET_ESCALATION_GRACE_HOURS` (default 24) after the deadline on, to the
  next manager up (notifications.responsibility).

Each e-mail is claimed first by inserting its Reminder row under a unique constraint, in the same
transaction that queues the e-mail on commit: a retry, or a second worker at the same moment,
meets the constraint and sends nothing. The e-mail names the case by its reference only: no
description and no names of service users, since e-mail is not a safe channel.
"""

import logging
import os
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template import loader
from django.utils import timezone, translation

from core.site import site_url
from deviations.models import Clock
from legal.rules import DeadlineRule
from notifications.models import Reminder, ReminderKind
from notifications.responsibility import Resolver
from notifications.services import queue_email

log = logging.getLogger(__name__)

DEFAULT_GRACE_HOURS = 24


def escalation_grace():
    """How long after the deadline an open clock escalates: the setting, or the environment."""
    hours = getattr(settings, "HJULET_ESCALATION_GRACE_HOURS", None)
    if hours is None:
        hours = os.environ.get("HJULET_ESCALATION_GRACE_HOURS", DEFAULT_GRACE_HOURS)
    return timedelta(hours=float(hours))


def stages(clock, now, grace=None):
    """The kinds of reminder the clock has reached at `now`, in order."""
    grace = escalation_grace() if grace is None else grace
    due = clock.due_at
    reached = []
    before = clock.rule.remind_before_hours
    if before and due - timedelta(hours=before) <= now < due:
        reached.append(ReminderKind.BEFORE)
    if now >= due:
        reached.append(ReminderKind.DUE)
    if now >= due + grace:
        reached.append(ReminderKind.ESCALATION)
    return reached


def open_clocks(now):
    """Open clocks whose first reminder time has come."""
    longest = DeadlineRule.objects.aggregate(m=Max("remind_before_hours"))["m"] or 0
    return (
        Clock.objects.filter(met_at__isnull=True, due_at__lte=now + timedelta(hours=longest))
        .select_related("deviation__unit", "rule__section__regulation", "track")
        .order_by("due_at", "pk")
    )


def already_claimed(now):
    """(clock, kind, person) of the reminders claimed so far for the clocks of this run."""
    longest = DeadlineRule.objects.aggregate(m=Max("remind_before_hours"))["m"] or 0
    return set(
        Reminder.objects.filter(
            clock__met_at__isnull=True, clock__due_at__lte=now + timedelta(hours=longest)
        ).values_list("clock_id", "kind", "recipient_id")
    )


def render_reminder(clock, kind, responsibility):
    """Subject and body, in the organisation's language whatever language is active."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "kind": kind,
            "kinds": ReminderKind,
            "clock": clock,
            "rule": clock.rule,
            "reference": clock.deviation.reference,
            "unit": clock.deviation.unit.name,
            "track": clock.track.get_kind_display() if clock.track_id else "",
            "due": timezone.localtime(clock.due_at),
            "responsible": responsibility.people,
            "link": site_url() + clock.deviation.get_absolute_url(),
        }
        subject = loader.render_to_string("notifications/reminder_subject.txt", context)
        body = loader.render_to_string("notifications/reminder_email.txt", context)
    return " ".join(subject.split()), body


def claim_and_send(clock, kind, recipient, responsibility):
    """Claim the reminder and queue its e-mail; False when someone else already has it."""
    subject = body = None
    if recipient.email:
        subject, body = render_reminder(clock, kind, responsibility)
    claimed = timezone.now()
    try:
        with transaction.atomic():
            Reminder.objects.create(
                clock=clock,
                kind=kind,
                recipient=recipient,
                claimed_at=claimed,
                sent_at=claimed if recipient.email else None,
            )
            if recipient.email:
                queue_email(subject=subject, body=body, to=[recipient.email])
    except IntegrityError:
        return False
    if not recipient.email:
        log.warning("reminder for clock %s not sent: user %s has no e-mail", clock.pk, recipient.pk)
    return True


def send_due_reminders(now=None):
    """Send every reminder that is due at `now` and not sent before; returns how many."""
    now = now or timezone.now()
    grace = escalation_grace()
    clocks = list(open_clocks(now))
    if not clocks:
        return 0
    resolver = Resolver(clocks)
    claimed = already_claimed(now)
    sent = 0
    for clock in clocks:
        reached = stages(clock, now, grace)
        if not reached:
            continue
        responsibility = resolver.resolve(clock)
        for kind in reached:
            people = (
                responsibility.escalation
                if kind == ReminderKind.ESCALATION
                else responsibility.people
            )
            for person in people:
                if (clock.pk, kind, person.pk) in claimed:
                    continue
                if claim_and_send(clock, kind, person, responsibility):
                    sent += 1
    return sent
