"""Mina uppgifter (notifications/inbox.py): the chapters of the yearly reports the person is a
named author of that have no text yet, while the report is a draft; and the reports in review
that the person writes, to take to the board's decision. Each item is due by the report's date
(reports/data/due.json: 1 March by law for the patient safety report, the organisation's own
target for the quality report). Two queries whatever the number of rows.

Registered from ReportsConfig.ready(), after the self-inspections (order 60).
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.inbox import LIMIT, Item, Section, register_section
from reports import work
from reports.due import due_of
from reports.models import ReportKind


def _item(what, url, case, detail, due, today):
    """An item due by `due` (reports/due.py), or with no date when it is None."""
    overdue = due is not None and due.on < today
    return Item(
        what=what,
        url=url,
        case=case,
        due=due.on if due else None,
        due_note=due.note if due else "",
        overdue=overdue,
        badges=[(_("Overdue"), "bad")] if overdue else [],
        detail=detail,
    )


def chapter_section(user, now):
    today = timezone.localtime(now).date()
    rows = list(
        work.chapters_to_write(user, named=True)
        .select_related("report")
        .order_by("report__year", "report_id", "order", "pk")[: LIMIT + 1]
    )
    if not rows:
        return None
    items = [
        _item(
            _("Write the chapter's text"),
            reverse("reports:chapter_text", args=[chapter.report_id, chapter.pk]),
            chapter.title,
            chapter.report.title,
            due_of(chapter.report),
            today,
        )
        for chapter in rows[:LIMIT]
    ]
    items.sort(key=lambda item: item.sort_key)
    return Section(
        "report_chapters",
        _("Chapters of the yearly reports to write"),
        items,
        more_url=reverse("reports:chapters") + "?show=to_write&named=on",
        more_count=max(len(rows) - LIMIT, 0),
    )


def review_section(user, now):
    today = timezone.localtime(now).date()
    rows = list(
        work.reports_to_review(user)
        .select_related("scope")
        .order_by("year", "kind", "scope__path", "pk")[: LIMIT + 1]
    )
    if not rows:
        return None
    items = [
        _item(
            _("Review the report and record the board's decision"),
            report.get_absolute_url(),
            report.title,
            report.scope.name,
            due_of(report),
            today,
        )
        for report in rows[:LIMIT]
    ]
    items.sort(key=lambda item: item.sort_key)
    return Section(
        "report_review",
        _("Yearly reports in review"),
        items,
        more_url=reverse("reports:list") + "?show=to_review",
        more_count=max(len(rows) - LIMIT, 0),
    )


def start_section(user, now):
    """The yearly work: the reports the person's role is expected to start before their date
    (the patient safety report by 1 March), until someone has started them."""
    today = timezone.localtime(now).date()
    rows = work.reports_to_start(user, today)
    if not rows:
        return None
    items = [
        _item(
            _("Start the report"),
            reverse("reports:new")
            + "?"
            + urlencode({"kind": kind, "scope": node.pk, "year": year}),
            f"{ReportKind(kind).label} {year}",
            f"{node.name}. {due.says}",
            due,
            today,
        )
        for kind, year, node, due in rows[:LIMIT]
    ]
    items.sort(key=lambda item: item.sort_key)
    return Section("report_start", _("Yearly reports to start"), items)


register_section("report_start", start_section, order=61)
register_section("report_chapters", chapter_section, order=62)
register_section("report_review", review_section, order=64)
