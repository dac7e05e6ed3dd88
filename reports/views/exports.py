"""The report as Word (to edit) and as an accessible PDF: the current draft, or a published
version as the board approved it. The Word document is written into the organisation's own
template, the nearest up the tree from the report's part of the organisation."""

from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import requires
from reports.exports import render_report_docx, render_report_pdf
from reports.models import VIEW
from reports.services.decision import snapshot
from reports.services.word_templates import template_bytes
from reports.views.access import visible_report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"pdf": ("application/pdf", render_report_pdf), "docx": (DOCX, render_report_docx)}


def _file(content, kind, name):
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _render(fmt, data, decision, name, scope):
    if fmt not in FORMATS:
        raise Http404
    kind, render = FORMATS[fmt]
    options = {"template": template_bytes(scope)} if fmt == "docx" else {}
    return _file(render(data, decision, **options), kind, f"{slugify(name)}.{fmt}")


@requires(VIEW)
def current(request, pk, fmt):
    report = visible_report(request, pk)
    if not report.is_written:
        raise Http404
    return _render(fmt, snapshot(report), "", report.title, report.scope)


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
    name = f"{report.title} {version.number}"
    return _render(fmt, version.snapshot, decision, name, report.scope)
