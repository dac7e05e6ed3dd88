"""The yearly reports: the list of those the person may see, a new report (written in the
background, its progress shown in the page), and the report with its chapters."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import requires
from accounts.scoping import can
from core.forms import add_service_errors
from organisation.models import OrgNode
from reports.forms import JudgeForm, NewReportForm
from reports.models import VIEW, WRITE, Generation
from reports.services import judging, writing
from reports.views.access import visible_report
from reports.views.work import report_rows


@requires(VIEW)
def report_list(request):
    # Filtered to the reports in review the person takes to the board: the start page's figure.
    form, reports = report_rows(request.user, request.GET)
    reports = reports.select_related("scope")
    may_write = OrgNode.objects.visible_to(request.user, WRITE).exists()
    context = {"reports": reports, "may_write": may_write, "form": form}
    context["filtered"] = bool(request.GET)
    return render(request, "reports/list.html", context)


@requires(WRITE)
def new(request):
    # Mina uppgifter's "start the report" opens the form with the kind, part and year chosen.
    initial = {k: request.GET[k] for k in ("kind", "scope", "year") if k in request.GET}
    form = NewReportForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = writing.start_report(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(report)
    return render(request, "reports/new.html", {"form": form})


def _progress_context(report):
    return {
        "report": report,
        "writing": report.generation in (Generation.QUEUED, Generation.RUNNING),
    }


def _detail(request, report, bound=None):
    context = _progress_context(report)
    may_write = can(request.user, WRITE, report)
    chapters = (
        list(
            report.chapters.select_related("verdict_by", "text_by").prefetch_related(
                "authors", "comments__author"
            )
        )
        if report.is_written
        else []
    )
    for chapter in chapters:
        # The page is read by someone who may read the report: an author may write their text.
        named = list(chapter.authors.all())
        chapter.may_write_text = report.is_open and (request.user in named if named else may_write)
        if may_write and report.is_open:
            chapter.judge_form = (
                bound if bound is not None and bound.chapter_pk == chapter.pk else None
            ) or JudgeForm(chapter=chapter)
    context.update(chapters=chapters, may_write=may_write)
    return render(request, "reports/detail.html", context)


@requires(VIEW)
def detail(request, pk):
    return _detail(request, visible_report(request, pk))


@require_POST
@requires(WRITE)
def judge(request, pk, chapter_pk):
    """The chapter owner confirms the proposed verdict or gives another with a reason; a
    refused judgment shows the report again with what was typed."""
    report = visible_report(request, pk, WRITE)
    chapter = get_object_or_404(report.chapters, pk=chapter_pk)
    form = JudgeForm(request.POST, chapter=chapter)
    form.chapter_pk = chapter.pk
    if form.is_valid():
        try:
            judging.judge(chapter, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The verdict was saved."))
            return redirect(f"{report.get_absolute_url()}#chapter-{slugify(chapter.code)}")
    return _detail(request, report, bound=form)


@requires(VIEW)
def progress(request, pk):
    """The progress of the writing, asked for every second by the page while it lasts; when it
    is done the page is loaded again to show the chapters."""
    report = visible_report(request, pk)
    response = render(request, "reports/_progress.html", _progress_context(report))
    if request.htmx and report.generation in (Generation.DONE, Generation.FAILED):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@requires(WRITE)
def rewrite(request, pk):
    report = visible_report(request, pk, WRITE)
    try:
        writing.rewrite(report, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is written again from the registers."))
    return redirect(report)
