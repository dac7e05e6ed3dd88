"""Feedback's targets as a source of deadline reminders (notifications/reminders.py).

For each open target (the receipt to confirm, the answer to give): BEFORE from the rule's
`remind_before_hours`, DUE at the target, to the people who handle feedback at the unit (the
nearest level that has any); ESCALATION, after the grace period, to those at the next level up.
Each e-mail is claimed first by a feedback.Reminder row, unique per feedback, target, kind and
person: never sent twice. The e-mail names the reference, the unit and the date only.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.site import site_url
from feedback.models import HANDLE, Feedback, Reminder, Status, TargetKind, TargetRule
from feedback.services.common import holders_by_level, rule_among
from legal.deadlines import deadline_when
from notifications.models import ReminderKind
from notifications.reminders import ReminderSource, Responsibility, register_reminder_source


@dataclass
class Due:
    feedback: Feedback
    target: str
    due: object
    notice: int

    @property
    def pk(self):
        return (self.feedback.pk, self.target)


def _notice_horizon(rules):
    return max((rule.remind_before_hours for rule in rules), default=0)


def open_targets(now, rules=None):
    rules = list(TargetRule.objects.all()) if rules is None else rules
    horizon = now + timedelta(hours=_notice_horizon(rules))
    rows = (
        Feedback.objects.filter(
            Q(status=Status.RECEIVED, acknowledge_due__lte=horizon)
            | Q(
                status__in=(Status.RECEIVED, Status.ACKNOWLEDGED),
                answered_at__isnull=True,
                answer_due__lte=horizon,
            )
        )
        .select_related("unit")
        .order_by("received_at", "pk")
    )
    found = []
    for feedback in rows:
        on = timezone.localtime(feedback.received_at).date()
        if feedback.status == Status.RECEIVED and feedback.acknowledge_due:
            rule = rule_among(rules, TargetKind.ACKNOWLEDGE, feedback, on)
            notice = rule.remind_before_hours if rule else 0
            found.append(Due(feedback, TargetKind.ACKNOWLEDGE, feedback.acknowledge_due, notice))
        if feedback.answer_due and feedback.answer_due <= horizon:
            rule = rule_among(rules, TargetKind.ANSWER, feedback, on)
            notice = rule.remind_before_hours if rule else 0
            found.append(Due(feedback, TargetKind.ANSWER, feedback.answer_due, notice))
    return found


class TargetReminders(ReminderSource):
    noun = "target of feedback"

    def __init__(self):
        self._read = (None, [])

    def open(self, now):
        # The run asks for the claims of the same items next: read them once per moment.
        if self._read[0] != now:
            self._read = (now, open_targets(now))
        return self._read[1]

    def claimed(self, now):
        ids = [due.feedback.pk for due in self.open(now)]
        return {
            ((feedback_id, target), kind, recipient_id)
            for feedback_id, target, kind, recipient_id in Reminder.objects.filter(
                feedback_id__in=ids
            ).values_list("feedback_id", "target", "kind", "recipient_id")
        }

    def responsible(self, items):
        units = list({due.feedback.unit_id: due.feedback.unit for due in items}.values())
        levels = holders_by_level(units, HANDLE)

        def resolve(due):
            found = levels.get(due.feedback.unit_id, [])
            people = found[0] if found else []
            escalation = found[1] if len(found) > 1 else []
            return Responsibility(people=people, escalation=escalation)

        return resolve

    def due_at(self, due):
        return due.due

    def notice_hours(self, due):
        return due.notice

    def render(self, due, kind, responsibility):
        feedback = due.feedback
        with translation.override(settings.LANGUAGE_CODE):
            values = {
                "reference": feedback.reference,
                "unit": feedback.unit.name,
                "date": deadline_when(due.due, "calendar_days"),
            }
            confirm = due.target == TargetKind.ACKNOWLEDGE
            if kind == ReminderKind.ESCALATION:
                subject = _("Feedback past its target: %(reference)s") % values
            elif confirm:
                subject = _("Confirm the receipt of %(reference)s by %(date)s") % values
            else:
                subject = _("Answer %(reference)s by %(date)s") % values
            what = (
                _(
                    "The receipt of the feedback %(reference)s at %(unit)s is to be confirmed "
                    "by %(date)s."
                )
                if confirm
                else _("The feedback %(reference)s at %(unit)s is to be answered by %(date)s.")
            )
            body = what % values + "\n\n" + site_url() + feedback.get_absolute_url() + "\n"
        return subject, body

    def claim(self, due, kind, recipient, *, claimed_at, sent_at):
        Reminder.objects.create(
            feedback=due.feedback,
            target=due.target,
            kind=kind,
            recipient=recipient,
            claimed_at=claimed_at,
            sent_at=sent_at,
        )


register_reminder_source("feedback", TargetReminders())
