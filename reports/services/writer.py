"""Writing a report's chapters from the registers: the background task's work
(reports/tasks.py). Each chapter is counted through the apps' providers (core/chapters.py),
its verdict proposed by the rules (reports/rules.py) and saved, one chapter at a time so that
the page shows the progress. What a person wrote in a chapter stays when the figures are
written again.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record_event
from core.chapters import chapter_sources
from legal.models import RegulationSection
from reports import rules
from reports.models import GENERATION, Chapter, Generation, Report

logger = logging.getLogger(__name__)


def move(report, to):
    """Move the writing of a report along the transition table, or refuse."""
    if (report.generation, to) not in GENERATION:
        raise ValidationError(
            _("The report cannot be written now: it is “%(state)s”.")
            % {"state": report.get_generation_display()},
            code="state",
        )
    report.generation = to


def _citation(section):
    if not section:
        return ""
    code, reference = section
    found = (
        RegulationSection.objects.filter(regulation__code=code, reference=reference)
        .select_related("regulation")
        .first()
    )
    return found.citation if found is not None else ""


def _write_chapter(report, order, data):
    parts = [
        source.count(report.scope, report.year)
        for source in chapter_sources(data["code"], report.kind)
    ]
    facts = {}
    for part in parts:
        facts.update(part.facts)
    proposed, evidence = rules.propose(data.get("rules", []), facts)
    Chapter.objects.update_or_create(
        report=report,
        code=data["code"],
        defaults={
            "order": order,
            "title": data["title"],
            "citation": _citation(data.get("section")),
            "asks": data["asks"],
            "parts": [part.as_json() for part in parts],
            "facts": facts,
            "proposed": proposed,
            "evidence": evidence,
        },
    )


def write(report_pk):
    """Write every chapter of a queued report (the task's body)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("scope").get(pk=report_pk)
        if report.generation != Generation.QUEUED:
            return report  # already written, or being written by another worker
        move(report, Generation.RUNNING)
        report.chapters_done = 0
        report.failure = ""
        report.save(update_fields=["generation", "chapters_done", "failure"])
    try:
        # A report is a Swedish document, whoever's request or worker writes it.
        with translation.override(settings.LANGUAGE_CODE):
            for order, data in enumerate(rules.chapters(report.kind), start=1):
                with transaction.atomic():
                    _write_chapter(report, order, data)
                    Report.objects.filter(pk=report.pk).update(chapters_done=order)
    except Exception as error:  # noqa: BLE001  (any failure is shown on the page, and logged)
        logger.exception("The report %s could not be written", report.pk)
        with transaction.atomic():
            move(report, Generation.FAILED)
            report.failure = str(error)[:300]
            report.save(update_fields=["generation", "failure"])
            record_event(report, "report.failed", None)
        return report
    with transaction.atomic():
        move(report, Generation.DONE)
        report.generated_at = timezone.now()
        report.chapters_done = report.chapters_total
        report.save(update_fields=["generation", "generated_at", "chapters_done"])
        record_event(report, "report.written", None)
    return report
