"""Reminders of the control points' reporting dates, by e-mail (notifications/reminders.py).

BEFORE to the responsible person from `HJULET_INTERNAL_CONTROL_NOTICE_DAYS` (default 14) days
before the reporting date, DUE from the date on, ESCALATION after the engine's grace period to
those who manage the board's plan (internal_control.manage in the board's tree). Only approved
plans' dates without a result. Each e-mail is claimed first by a ControlReminder row, unique per
reporting date, kind and person: a retry, or a second worker, sends nothing twice.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import RoleAssignment, User
from core.site import site_url
from internal_control.due import notice_days, open_dates
from internal_control.models import MANAGE, ControlReminder
from notifications.reminders import (
    ReminderSource,
    Responsibility,
    escalation_grace,
    register_reminder_source,
    send_source_reminders,
)


def managers_of(boards):
    """{board pk: [users holding internal_control.manage in the board's tree]}; one query
    per board."""
    rows = RoleAssignment.objects.active().filter(
        node__is_active=True, user__is_active=True, role__permissions__key=MANAGE
    )
    holders = defaultdict(set)
    for board in boards:
        for user_id in rows.filter(node__path__startswith=board.path).values_list(
            "user_id", flat=True
        ):
            holders[board.pk].add(user_id)
    users = User.objects.in_bulk({u for ids in holders.values() for u in ids})
    return {pk: [users[u] for u in sorted(ids) if u in users] for pk, ids in holders.items()}


class ReportingReminders(ReminderSource):
    noun = "reporting date"

    def _horizon(self, now):
        return timezone.localtime(now).date() + timedelta(days=notice_days())

    def open(self, now):
        return list(
            open_dates()
            .filter(due_on__lte=self._horizon(now))
            .select_related("control_point__plan__board", "control_point__responsible")
            .order_by("due_on", "pk")
        )

    def claimed(self, now):
        return set(
            ControlReminder.objects.filter(
                reporting_date__in=open_dates().filter(due_on__lte=self._horizon(now))
            ).values_list("reporting_date_id", "kind", "recipient_id")
        )

    def responsible(self, items):
        boards = {item.control_point.plan.board for item in items}
        managers = managers_of(boards)

        def of(item):
            point = item.control_point
            escalation = [
                u for u in managers.get(point.plan.board_id, []) if u.pk != point.responsible_id
            ]
            return Responsibility([point.responsible], escalation)

        return of

    def due_at(self, item):
        return timezone.make_aware(datetime.combine(item.due_on, time.min))

    def notice_hours(self, item):
        return notice_days() * 24

    def render(self, item, kind, responsibility):
        context = {
            "row": item,
            "point": item.control_point,
            "kind": kind,
            "link": site_url() + reverse("internal_control:result", args=[item.pk]),
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = loader.render_to_string("internal_control/reminder_subject.txt", context)
            body = loader.render_to_string("internal_control/reminder_email.txt", context)
        return " ".join(subject.split()), body

    def claim(self, item, kind, recipient, *, claimed_at, sent_at):
        ControlReminder.objects.create(
            reporting_date=item,
            kind=kind,
            recipient=recipient,
            claimed_at=claimed_at,
            sent_at=sent_at,
        )


SOURCE = ReportingReminders()
register_reminder_source("internal_control", SOURCE)


def send_control_reminders(now=None):
    """Send the reminders due at `now` and not sent before; returns how many."""
    return send_source_reminders(SOURCE, now or timezone.now(), escalation_grace())
