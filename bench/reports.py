"""Bench line of the yearly quality report, hooked into bench/run.py by `lines`.

The quality report of the whole benchmark organisation (Skalkommunen, the root of the tree) for
BENCH_YEAR, with every chapter counted from the registers as the background task does it
(reports/services/writer.py `write`), then its PDF made as the download makes it (the snapshot
and reports/exports.py `render_report_pdf`). The target: writing and PDF together in at most
10 s for a year of about 50,000 reports. The report is made for the bench, written again in
each run (as "write again" does) and removed afterwards, with what the audit kept of it.

A run takes seconds, so this line has its own small numbers: BENCH_REPORT_N measured runs
(3) after BENCH_REPORT_WARMUP (1). The board member then reads the report's page and
downloads its PDF through the test client, BENCH_REPORT_N times each.
"""

import io
import os
import statistics
import time
from types import SimpleNamespace

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import Event
from organisation.models import OrgNode
from organisation.scale_data import BENCH_USERS, ROOT_NAME
from reports import rules
from reports.exports import render_report_pdf
from reports.models import Chapter, Generation, Report, ReportKind
from reports.services.decision import snapshot
from reports.services.writer import write

TITLE = "Kvalitetsberättelse (benchmark)"
NAMES = (
    "quality report, whole organisation",
    "report page, board member",
    "report PDF download, board member",
)


def _wanted(name):
    """bench/run.py's BENCH_ONLY, read the same way: this line's runs take seconds."""
    only = [w.strip() for w in os.environ.get("BENCH_ONLY", "").split(",") if w.strip()]
    return not only or any(w in name for w in only)


def _remove(report_ids):
    """The bench's reports and what the audit kept of them, so that a rerun starts clean."""
    chapters = list(Chapter.objects.filter(report_id__in=report_ids).values_list("pk", flat=True))
    Report.objects.filter(pk__in=report_ids).delete()
    kinds = ContentType.objects.get_for_models(Report, Chapter)
    for model, ids in ((Report, report_ids), (Chapter, chapters)):
        keys = [str(pk) for pk in ids]
        Event.objects.filter(content_type=kinds[model], object_id__in=keys).delete()
        LogEntry.objects.filter(content_type=kinds[model], object_pk__in=keys).delete()


def lines(measure, client_for, n, warmup):
    if not any(_wanted(name) for name in NAMES):
        return
    root = OrgNode.objects.filter(name=ROOT_NAME, parent__isnull=True).first()
    if root is None:
        print("# reports: no benchmark organisation (manage.py generate_scale_data)", flush=True)
        return
    n = int(os.environ.get("BENCH_REPORT_N", "3"))
    warmup = int(os.environ.get("BENCH_REPORT_WARMUP", "1"))
    year = int(os.environ.get("BENCH_YEAR", timezone.localdate().year - 1))
    # A run stopped half-way leaves its report: removed first.
    _remove(list(Report.objects.filter(scope=root, title=TITLE).values_list("pk", flat=True)))
    report = Report.objects.create(
        kind=ReportKind.QUALITY,
        scope=root,
        year=year,
        title=TITLE,
        chapters_total=len(rules.chapters(ReportKind.QUALITY)),
    )
    try:
        _lines(measure, client_for, n, warmup, report)
    finally:
        _remove([report.pk])


def _lines(measure, client_for, n, warmup, report):
    runs = []

    def write_and_render():
        # Queued again as "write again" does (reports/services/writing.py `rewrite`).
        Report.objects.filter(pk=report.pk).update(generation=Generation.QUEUED)
        start = time.perf_counter()
        written = write(report.pk)
        wrote = time.perf_counter()
        pdf = render_report_pdf(snapshot(written))
        done = time.perf_counter()
        runs.append(SimpleNamespace(write=wrote - start, pdf=done - wrote, content=pdf))
        ok = written.generation == Generation.DONE and pdf.startswith(b"%PDF")
        return SimpleNamespace(status_code=200 if ok else 500)

    measure(NAMES[0], write_and_render, n, warmup)
    timed = runs[warmup : warmup + n]
    if timed:
        writing = [r.write for r in timed]
        pdf = [r.pdf for r in timed]
        total = [r.write + r.pdf for r in timed]
        facts = {}
        for chapter in Chapter.objects.filter(report=report):
            facts.update(chapter.facts)
        pages = len(PdfReader(io.BytesIO(timed[-1].content)).pages)
        print(
            f"  {report.year}: writing p50={statistics.median(writing):5.2f} s"
            f"  PDF p50={statistics.median(pdf):5.2f} s"
            f"  sum p50={statistics.median(total):5.2f} s max={max(total):5.2f} s"
            f"  (target 10 s)  reports={facts.get('reports')}"
            f"  deviations={facts.get('deviations')}"
            f"  pages={pages}",
            flush=True,
        )

    report.refresh_from_db()
    if report.generation != Generation.DONE:
        write(report.pk)  # the writing line was left out (BENCH_ONLY); the pages need it
    board = client_for(BENCH_USERS["board_member"])
    page = reverse("reports:detail", args=[report.pk])
    measure(NAMES[1], lambda: board.get(page), n, min(warmup, 1))
    pdf = reverse("reports:export", args=[report.pk, "pdf"])
    measure(NAMES[2], lambda: board.get(pdf), n, min(warmup, 1))
