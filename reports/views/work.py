"""The lists the start page's figures open (reports/figures.py): the chapters to write or to
judge, and the list of reports filtered to those in review that the person takes to the board.
Each list's rows are the querysets of reports/work.py, so a figure counts exactly the rows its
list shows."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.access import requires
from reports import work
from reports.due import due_of
from reports.models import VIEW, Report

PAGE_SIZE = 50
TO_WRITE = "to_write"
TO_JUDGE = "to_judge"
TO_REVIEW = "to_review"


class ChapterFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Chapters to write or to judge")),
            (TO_WRITE, _("Chapters to write")),
            (TO_JUDGE, _("Chapters to judge")),
        ],
    )
    named = forms.BooleanField(label=_("Only those I am a named author of"), required=False)


def chapter_rows(user, params):
    """The filter form and the chapters the list shows (the figures count the same rows)."""
    form = ChapterFilterForm(params or None)
    show, named = "", False
    if form.is_valid():
        show, named = form.cleaned_data["show"], form.cleaned_data["named"]
    if show == TO_WRITE:
        rows = work.chapters_to_write(user)
    elif show == TO_JUDGE:
        rows = work.chapters_to_judge(user)
    else:
        rows = work.draft_chapters(user).filter(work.write_q(user) | work.judge_q(user))
    if named:
        rows = rows.filter(work.named_q(user))
    return form, rows


class ReportFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Every report I may read")),
            (TO_REVIEW, _("In review, for me to take to the board")),
        ],
    )


def report_rows(user, params):
    """The filter form and the reports the list shows (the figure counts the same rows)."""
    form = ReportFilterForm(params or None)
    rows = Report.objects.visible_to(user, VIEW)
    if form.is_valid() and form.cleaned_data["show"] == TO_REVIEW:
        rows = work.reports_to_review(user)
    return form, rows


@requires(VIEW)
def chapters(request):
    form, rows = chapter_rows(request.user, request.GET)
    rows = (
        rows.select_related("report__scope")
        .prefetch_related("authors")
        .order_by("report__year", "report__kind", "report__scope__path", "order", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for chapter in page.object_list:
        chapter.due = due_of(chapter.report)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(request.GET),
    }
    return render(request, "reports/chapters.html", context)
