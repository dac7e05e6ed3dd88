"""Occasions of self-inspection as a source of deadline reminders (notifications/reminders.py).

BEFORE from `NOTICE_DAYS` (14) days before the due date, DUE on the due date, to the person
responsible for the plan item; ESCALATION, after the grace period, to the holders of
inspections.manage at the plan's unit (the person responsible left out). Each e-mail is claimed
first by an InspectionReminder row, unique per occasion, kind and person: never sent twice.
The e-mail names the checklist, the unit and the date only.
"""

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment, User
from core.site import site_url
from inspections.models import InspectionReminder, Occasion
from inspections.models.checklist import MANAGE
from notifications.models import ReminderKind
from notifications.reminders import ReminderSource, Responsibility, register_reminder_source

NOTICE_DAYS = 14
DUE_HOUR = 8


def due_at(occasion):
    moment = datetime.datetime.combine(occasion.due_date, datetime.time(DUE_HOUR))
    return timezone.make_aware(moment)


def open_occasions(now):
    horizon = timezone.localtime(now).date() + datetime.timedelta(days=NOTICE_DAYS)
    return (
        Occasion.objects.filter(done_on__isnull=True, due_date__lte=horizon)
        .select_related("item__responsible", "item__plan__unit", "item__template")
        .order_by("due_date", "pk")
    )


def managers_of(units):
    """{unit pk: [holders of inspections.manage over the unit]}: two queries for the batch."""
    rows = (
        RoleAssignment.objects.active()
        .filter(node__is_active=True, user__is_active=True, role__permissions__key=MANAGE)
        .values_list("user_id", "node_id", "node__path", "include_subtree")
        .distinct()
    )
    found = {unit.pk: set() for unit in units}
    for user_id, node_id, path, subtree in rows:
        for unit in units:
            if node_id == unit.pk or (subtree and unit.path.startswith(path)):
                found[unit.pk].add(user_id)
    users = User.objects.in_bulk({u for ids in found.values() for u in ids})
    return {pk: [users[u] for u in sorted(ids) if u in users] for pk, ids in found.items()}


class OccasionReminders(ReminderSource):
    noun = "occasion of self-inspection"

    def open(self, now):
        return open_occasions(now)

    def claimed(self, now):
        return set(
            InspectionReminder.objects.filter(
                occasion__in=open_occasions(now).values("pk")
            ).values_list("occasion_id", "kind", "recipient_id")
        )

    def responsible(self, occasions):
        units = list({o.item.plan.unit.pk: o.item.plan.unit for o in occasions}.values())
        managers = managers_of(units)

        def resolve(occasion):
            person = occasion.item.responsible
            people = [person] if person.is_active else []
            above = [m for m in managers.get(occasion.item.plan.unit_id, []) if m.pk != person.pk]
            return Responsibility(people=people, escalation=above)

        return resolve

    def due_at(self, occasion):
        return due_at(occasion)

    def notice_hours(self, occasion):
        return NOTICE_DAYS * 24

    def render(self, occasion, kind, responsibility):
        with translation.override(settings.LANGUAGE_CODE):
            values = {
                "subject": occasion.item.subject,
                "unit": occasion.item.plan.unit.name,
                "date": occasion.due_date.strftime("%Y-%m-%d"),
            }
            if kind == ReminderKind.BEFORE:
                subject = _("Self-inspection due %(date)s: %(subject)s") % values
            elif kind == ReminderKind.DUE:
                subject = _("Self-inspection due today: %(subject)s") % values
            else:
                subject = _("Self-inspection overdue: %(subject)s") % values
            body = (
                _(
                    "The self-inspection “%(subject)s” at %(unit)s is due on %(date)s and has "
                    "not been carried out."
                )
                % values
                + "\n\n"
                + site_url()
                + occasion.get_absolute_url()
                + "\n"
            )
        return subject, body

    def claim(self, occasion, kind, recipient, *, claimed_at, sent_at):
        InspectionReminder.objects.create(
            occasion=occasion,
            kind=kind,
            recipient=recipient,
            claimed_at=claimed_at,
            sent_at=sent_at,
        )


register_reminder_source("inspections", OccasionReminders())
