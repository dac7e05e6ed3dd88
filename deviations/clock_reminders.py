"""The deviations' clocks as a source of deadline reminders (notifications/reminders.py).

Every open clock (met_at empty) whose first reminder time has come is reminded of: BEFORE from
`rule.remind_before_hours` before its deadline, DUE at it, ESCALATION after the grace period,
to the people deviations/responsibility.py finds (the escalation: the next manager up).

The claim is a notifications Reminder row, unique per clock, kind and person. The e-mail
(notifications' deadline reminder templates) names the case by its reference only: no
description and no names of service users, since e-mail is not a safe channel.
Registered from DeviationsConfig.ready().
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Max
from django.template import loader
from django.utils import timezone, translation

from core.site import site_url
from deviations.citations import CLOCK_RELATED, clock_reference
from deviations.models import Clock
from deviations.responsibility import Resolver
from legal.rules import DeadlineRule
from notifications.models import Reminder, ReminderKind
from notifications.reminders import ReminderSource, register_reminder_source


def open_clocks(now):
    """Open clocks whose first reminder time has come."""
    longest = DeadlineRule.objects.aggregate(m=Max("remind_before_hours"))["m"] or 0
    return (
        Clock.objects.filter(met_at__isnull=True, due_at__lte=now + timedelta(hours=longest))
        .select_related("deviation__unit", "track", *CLOCK_RELATED)
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
            # The law in force on the case's date for the unit's law areas.
            "legal_reference": clock_reference(clock),
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


class ClockReminders(ReminderSource):
    noun = "clock"

    def open(self, now):
        return open_clocks(now)

    def claimed(self, now):
        return already_claimed(now)

    def responsible(self, clocks):
        return Resolver(clocks).resolve

    def due_at(self, clock):
        return clock.due_at

    def notice_hours(self, clock):
        return clock.rule.remind_before_hours

    def render(self, clock, kind, responsibility):
        return render_reminder(clock, kind, responsibility)

    def claim(self, clock, kind, recipient, *, claimed_at, sent_at):
        Reminder.objects.create(
            clock=clock, kind=kind, recipient=recipient, claimed_at=claimed_at, sent_at=sent_at
        )


register_reminder_source("clocks", ClockReminders())
