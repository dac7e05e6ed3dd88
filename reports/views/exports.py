"""The report as Word (to edit) and as an accessible PDF: the current draft, or a published
version as the board approved it."""

from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import requires
from reports.exports import render_report_docx, render_report_pdf
from reports.models import VIEW
from reports.services.decision import snapshot
from reports.views.access import visible_report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"pdf": ("application/pdf", render_report_pdf), "docx": (DOCX, render_report_docx)}


def _file(content, kind, name):
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _render(fmt, data, decision, name):
    if fmt not in FORMATS:
        raise Http404
    kind, render = FORMATS[fmt]
    return _file(render(data, decision), kind, f"{slugify(name)}.{fmt}")


@requires(VIEW)
def current(request, pk, fmt):
    report = visible_report(request, pk)
    if not report.is_written:
        raise Http404
    return _render(fmt, snapshot(report), "", report.title)


@requires(VIEW)
def published(request, pk, number, fmt):
    report = visible_report(request, pk)
    version = report.versions.filter(number=number).first()
    if version is None:
        raise Http404
    decision = _(
        "Approved by %(body)s on %(date)s, § %(paragraph)s, Dnr %(dnr)s (version %(n)s)."
    ) % {
        "body": version.decision_body,
        "date": version.decision_date.isoformat(),
        "paragraph": version.paragraph,
        "dnr": version.registry_number,
        "n": version.number,
    }
    return _render(fmt, version.snapshot, decision, f"{report.title} {version.number}")
