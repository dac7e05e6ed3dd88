"""Reminders of the yearly reports' due dates, by e-mail (notifications/reminders.py).

A report not yet approved is due by its date in reports/data/due.json (the patient safety
report by 1 March of the year after, PSL 3 kap 10 §; the quality report by the organisation's
own target). BEFORE from the data's `notice_days` before the date, DUE from the date on, to
the report's writers (those who hold reports.write at the nearest level, at or above the
report's part of the organisation, where anyone does) and, while it is a draft, to the named
authors of its chapters that still have no text; ESCALATION after the engine's grace period to
the writers at the next level up. Each e-mail is claimed first by a ReportReminder row, unique
per report, kind, due date and person: a retry, or a second worker, sends nothing twice.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment, User
from core.site import site_url
from notifications.models import ReminderKind
from notifications.reminders import (
    ReminderSource,
    Responsibility,
    escalation_grace,
    register_reminder_source,
    send_source_reminders,
)
from reports.due import due_of, notice_days
from reports.models import WRITE, Chapter, Generation, Report, ReportReminder, Stage
from reports.services.chapters import possible_authors


def due_at(report):
    """The due date's start, in the organisation's time zone."""
    return timezone.make_aware(datetime.combine(due_of(report).on, time.min))


def open_reports(now):
    """The reports not yet approved whose first reminder time has come, soonest due first."""
    horizon = timezone.localtime(now).date() + timedelta(days=notice_days())
    # A report about a year is due in a later year: only the years up to this one can be due.
    candidates = (
        Report.objects.exclude(stage=Stage.APPROVED)
        .filter(year__lte=horizon.year)
        .select_related("scope")
    )
    found = []
    for report in candidates:
        due = due_of(report)
        if due is not None and due.on <= horizon:
            found.append(report)
    return sorted(found, key=lambda r: (due_of(r).on, r.pk))


def _holders(reports):
    """{node id: {user id: include_subtree}} for reports.write at the reports' nodes and the
    nodes above them; one query for the batch."""
    node_ids = {n for report in reports for n in report.scope.ancestor_ids()}
    rows = (
        RoleAssignment.objects.active()
        .filter(
            node_id__in=node_ids,
            node__is_active=True,
            user__is_active=True,
            role__permissions__key=WRITE,
        )
        .values_list("node_id", "user_id", "include_subtree")
    )
    found = defaultdict(dict)
    for node_id, user_id, subtree in rows:
        held = found[node_id]
        held[user_id] = held.get(user_id, False) or subtree
    return found


def _at(holders, node_id, own):
    """Who writes the report from this node: any grant at its own node, a grant with the
    subtree above it."""
    return {u for u, subtree in holders.get(node_id, {}).items() if own or subtree}


def _levels(holders, report):
    """The writers at the nearest level at or above the report's node that has any, and at the
    next such level above it."""
    ids = list(reversed(report.scope.ancestor_ids()))  # the report's own node first
    levels = [_at(holders, n, n == report.scope_id) for n in ids]
    found = [people for people in levels if people]
    return (found[0] if found else set()), (found[1] if len(found) > 1 else set())


def _authors(reports):
    """{report pk: {user ids}}: the named authors of the chapters still without text of the
    written drafts among `reports`; one query."""
    drafts = [r.pk for r in reports if r.stage == Stage.DRAFT]
    rows = Chapter.authors.through.objects.filter(
        chapter__report_id__in=drafts,
        chapter__report__generation=Generation.DONE,
        chapter__narrative="",
        user__is_active=True,
    ).values_list("chapter__report_id", "user_id")
    found = defaultdict(set)
    for report_id, user_id in rows:
        found[report_id].add(user_id)
    return found


class ReportReminders(ReminderSource):
    noun = "yearly report"

    def open(self, now):
        return open_reports(now)

    def claimed(self, now):
        reports = open_reports(now)
        due = {r.pk: due_of(r).on for r in reports}
        return {
            (pk, kind, recipient)
            for pk, kind, recipient, about in ReportReminder.objects.filter(
                report_id__in=list(due)
            ).values_list("report_id", "kind", "recipient_id", "about")
            if about == due[pk]
        }

    def responsible(self, reports):
        holders = _holders(reports)
        authors = _authors(reports)
        people, above = {}, {}
        for report in reports:
            writers, next_up = _levels(holders, report)
            named = authors.get(report.pk, set())
            if named:
                # Only those who may still be named write the text (and can open the link).
                named = set(
                    possible_authors(report).filter(pk__in=named).values_list("pk", flat=True)
                )
            people[report.pk] = writers | named
            above[report.pk] = next_up - people[report.pk]
        users = User.objects.in_bulk(
            {u for ids in (*people.values(), *above.values()) for u in ids}
        )

        def of(report):
            return Responsibility(
                [users[u] for u in sorted(people[report.pk]) if u in users],
                [users[u] for u in sorted(above[report.pk]) if u in users],
            )

        return of

    def due_at(self, report):
        return due_at(report)

    def notice_hours(self, report):
        return notice_days() * 24

    def render(self, report, kind, responsibility):
        due = due_of(report)
        with translation.override(settings.LANGUAGE_CODE):
            values = {
                "title": report.title,
                "date": due.on.strftime("%Y-%m-%d"),
                "stage": report.get_stage_display().lower(),
            }
            if kind == ReminderKind.BEFORE:
                subject = _("Yearly report due %(date)s: %(title)s") % values
            elif kind == ReminderKind.DUE:
                subject = _("Yearly report due today: %(title)s") % values
            else:
                subject = _("Yearly report past its date: %(title)s") % values
            lines = [
                _("“%(title)s” is due on %(date)s and is not approved yet (%(stage)s).") % values,
                due.says,
            ]
            if report.stage == Stage.DRAFT:
                lines.append(
                    _("Write the chapters' text and their verdicts, then send it for review.")
                )
            else:
                lines.append(_("Review it and record the board's decision."))
            body = "\n\n".join(lines) + "\n\n" + site_url() + report.get_absolute_url() + "\n"
        return subject, body

    def claim(self, report, kind, recipient, *, claimed_at, sent_at):
        ReportReminder.objects.create(
            report=report,
            kind=kind,
            about=due_of(report).on,
            recipient=recipient,
            claimed_at=claimed_at,
            sent_at=sent_at,
        )


SOURCE = ReportReminders()
register_reminder_source("reports", SOURCE)


def send_report_reminders(now=None):
    """Send the reminders due at `now` and not sent before; returns how many."""
    return send_source_reminders(SOURCE, now or timezone.now(), escalation_grace())
