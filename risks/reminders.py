"""Review reminders of decided risk analyses, by e-mail (notifications/reminders.py).

BEFORE to the responsible person from `HJULET_RISK_REVIEW_NOTICE_DAYS` (default 30) days
before the review date, DUE from the date on, ESCALATION after the engine's grace period to the
holders of risks.manage over the unit at the nearest level above it. Each is claimed first by a
RiskReminder row, unique per analysis, kind, review date and person: a retry, or a second
worker, sends nothing twice. The notifications' periodic reminder run
(notifications.reminders.send_reminders_task) asks this source with the others.
"""

import os
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.template import loader
from django.utils import timezone, translation

from accounts.models import RoleAssignment
from core.site import site_url
from notifications.models import ReminderKind
from notifications.reminders import (
    ReminderSource,
    Responsibility,
    escalation_grace,
    register_reminder_source,
    send_source_reminders,
)
from risks.models import MANAGE, RiskAnalysis, RiskReminder, Status


def notice_days():
    value = getattr(settings, "HJULET_RISK_REVIEW_NOTICE_DAYS", None)
    if value is None:
        value = os.environ.get("HJULET_RISK_REVIEW_NOTICE_DAYS", 30)
    return int(value)


def due_at(analysis):
    """The review date's start, in the organisation's time zone."""
    return timezone.make_aware(datetime.combine(analysis.review_on, time.min))


def managers_above(analyses):
    """{analysis pk: [users]} holding risks.manage with the subtree at the nearest level above
    the unit; two queries for the batch."""
    from accounts.models import User

    above = {a.pk: list(reversed(a.unit.ancestor_ids()[:-1])) for a in analyses}
    node_ids = {n for ids in above.values() for n in ids}
    holders = defaultdict(set)
    rows = (
        RoleAssignment.objects.active()
        .filter(
            node_id__in=node_ids,
            include_subtree=True,
            node__is_active=True,
            user__is_active=True,
            role__permissions__key=MANAGE,
        )
        .values_list("node_id", "user_id")
    )
    for node_id, user_id in rows:
        holders[node_id].add(user_id)
    users = User.objects.in_bulk({u for ids in holders.values() for u in ids})
    found = {}
    for analysis in analyses:
        people = set()
        for node_id in above[analysis.pk]:
            people = holders.get(node_id, set()) - {analysis.responsible_id}
            if people:
                break
        found[analysis.pk] = [users[u] for u in sorted(people) if u in users]
    return found


class ReviewReminders(ReminderSource):
    noun = "risk analysis"

    def open(self, now):
        horizon = timezone.localtime(now).date() + timedelta(days=notice_days())
        return list(
            RiskAnalysis.objects.filter(
                status=Status.DECIDED, review_on__isnull=False, review_on__lte=horizon
            )
            .select_related("unit", "responsible")
            .order_by("review_on", "pk")
        )

    def claimed(self, now):
        horizon = timezone.localtime(now).date() + timedelta(days=notice_days())
        return {
            (pk, kind, recipient)
            for pk, kind, recipient, about, review_on in RiskReminder.objects.filter(
                analysis__status=Status.DECIDED, analysis__review_on__lte=horizon
            ).values_list("analysis_id", "kind", "recipient_id", "about", "analysis__review_on")
            if about == review_on
        }

    def responsible(self, analyses):
        above = managers_above(analyses)
        return lambda a: Responsibility([a.responsible], above.get(a.pk, []))

    def due_at(self, analysis):
        return due_at(analysis)

    def notice_hours(self, analysis):
        return notice_days() * 24

    def render(self, analysis, kind, responsibility):
        context = {
            "analysis": analysis,
            "kind": kind,
            "kinds": ReminderKind,
            "link": site_url() + analysis.get_absolute_url(),
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = loader.render_to_string("risks/reminder_subject.txt", context)
            body = loader.render_to_string("risks/reminder_email.txt", context)
        return " ".join(subject.split()), body

    def claim(self, analysis, kind, recipient, *, claimed_at, sent_at):
        RiskReminder.objects.create(
            analysis=analysis,
            kind=kind,
            about=analysis.review_on,
            recipient=recipient,
            claimed_at=claimed_at,
            sent_at=sent_at,
        )


SOURCE = ReviewReminders()
register_reminder_source("risk_reviews", SOURCE)


def send_review_reminders(now=None):
    """Send the review reminders due at `now` and not sent before; returns how many."""
    return send_source_reminders(SOURCE, now or timezone.now(), escalation_grace())
