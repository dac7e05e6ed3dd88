"""The plan and the report as PDF and DOCX (internal_control/documents.py)."""

from django.http import HttpResponse
from django.utils.text import slugify

from accounts.access import requires
from internal_control.documents import render_plan_docx, render_plan_pdf
from internal_control.models import VIEW
from internal_control.views.common import visible_plan, visible_report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _name(plan, suffix, ext):
    return f"internkontroll-{plan.year}-{slugify(plan.board.name)}{suffix}.{ext}"


@requires(VIEW)
def plan_pdf(request, pk):
    plan = visible_plan(request, pk)
    return _file(render_plan_pdf(plan), "application/pdf", _name(plan, "-plan", "pdf"))


@requires(VIEW)
def plan_docx(request, pk):
    plan = visible_plan(request, pk)
    return _file(render_plan_docx(plan), DOCX, _name(plan, "-plan", "docx"))


@requires(VIEW)
def report_pdf(request, pk):
    report = visible_report(request, pk)
    content = render_plan_pdf(report.plan, report)
    return _file(content, "application/pdf", _name(report.plan, f"-rapport-{report.period}", "pdf"))


@requires(VIEW)
def report_docx(request, pk):
    report = visible_report(request, pk)
    content = render_plan_docx(report.plan, report)
    return _file(content, DOCX, _name(report.plan, f"-rapport-{report.period}", "docx"))
