"""Starting a report and writing it again: the report is saved and its writing queued as a
background task (reports/tasks.py, reports/services/writer.py), its progress shown in the page.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can
from audit.services import record_event
from reports import rules
from reports.models import WRITE, Generation, Report, ReportKind
from reports.services.decision import require_open
from reports.services.writer import move

FIRST_YEAR = 2012  # SOSFS 2011:9 came into force on 1 January 2012


def _queue(report):
    from reports.tasks import write_report_task

    transaction.on_commit(lambda: write_report_task.enqueue(report.pk))


@transaction.atomic
def start_report(*, actor, kind, scope, year):
    """A new report of `kind` for `scope` and `year`, written from the registers in the
    background. One report per kind, part of the organisation and year."""
    if scope is None or not can(actor, WRITE, scope):
        raise PermissionDenied
    errors = {}
    if kind not in ReportKind.values:
        errors["kind"] = _("Choose which report to write.")
    if year is None or not FIRST_YEAR <= year <= timezone.localdate().year:
        errors["year"] = _("Choose a year from %(first)s to this year.") % {"first": FIRST_YEAR}
    if errors:
        raise ValidationError(errors)
    existing = Report.objects.filter(kind=kind, scope=scope, year=year).first()
    if existing is not None:
        raise ValidationError(
            {
                "year": _("There is already a %(kind)s for %(unit)s and %(year)s.")
                % {
                    "kind": ReportKind(kind).label.lower(),
                    "unit": scope.name,
                    "year": year,
                }
            },
            code="exists",
        )
    report = Report.objects.create(
        kind=kind,
        scope=scope,
        year=year,
        title=f"{rules.report_title(kind)} {year}: {scope.name}",
        chapters_total=len(rules.chapters(kind)),
        created_by=actor,
    )
    record_event(report, "report.started", actor)
    _queue(report)
    return report


@transaction.atomic
def rewrite(report, *, actor):
    """Write the chapters' figures and proposals again from the registers of today; the text
    written in the chapters stays."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if not can(actor, WRITE, locked):
        raise PermissionDenied
    require_open(locked)
    move(locked, Generation.QUEUED)
    locked.chapters_done = 0
    locked.save(update_fields=["generation", "chapters_done"])
    record_event(locked, "report.rewritten", actor)
    _queue(locked)
    return locked
