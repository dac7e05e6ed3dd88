"""Writing a chapter together: its text (an edit made meanwhile by someone else is shown, not
overwritten), its authors and the comments on it. Each a small page of its own."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import require, requires
from core import versioning
from core.forms import add_service_errors
from reports.forms import AuthorsForm, ChapterTextForm, CommentForm
from reports.models import VIEW, WRITE, Chapter
from reports.services import chapters as writing_together
from reports.views.access import visible_report


def _chapter(request, pk, chapter_pk):
    report = visible_report(request, pk)
    return get_object_or_404(report.chapters.select_related("report__scope"), pk=chapter_pk)


def _back(chapter):
    return redirect(f"{chapter.report.get_absolute_url()}#chapter-{slugify(chapter.code)}")


def _page(request, chapter, form, title, button, status=200):
    context = {"chapter": chapter, "report": chapter.report, "form": form}
    context.update(title=title, button=button)
    return render(request, "reports/chapter_step.html", context, status=status)


@requires(VIEW)
def text(request, pk, chapter_pk):
    chapter = _chapter(request, pk, chapter_pk)
    if not writing_together.may_write_text(request.user, chapter):
        raise PermissionDenied
    if not chapter.report.is_open:
        messages.error(
            request, _("The board has approved the report: start a new version to change it.")
        )
        return _back(chapter)
    form = versioning.stamp(
        ChapterTextForm(request.POST or None, initial={"narrative": chapter.narrative})
    )
    if request.method == "POST" and form.is_valid():
        stored = Chapter.objects.select_for_update()
        try:
            with versioning.guard(
                form,
                lambda: ChapterTextForm(initial={"narrative": stored.get(pk=chapter.pk).narrative}),
            ):
                writing_together.write_text(
                    chapter, actor=request.user, narrative=form.cleaned_data["narrative"]
                )
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The chapter's text was saved."))
            return _back(chapter)
    title = _("Write the text of “%(chapter)s”") % {"chapter": chapter.title}
    return _page(request, chapter, form, title, _("Save the text"), versioning.status(form))


@requires(WRITE)
def authors(request, pk, chapter_pk):
    chapter = _chapter(request, pk, chapter_pk)
    require(request.user, WRITE, chapter.report, request=request)
    people = writing_together.possible_authors(chapter.report)
    form = AuthorsForm(
        request.POST or None, people=people, initial={"authors": list(chapter.authors.all())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            writing_together.set_authors(
                chapter, actor=request.user, authors=list(form.cleaned_data["authors"])
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The chapter's authors were saved."))
            return _back(chapter)
    title = _("Authors of “%(chapter)s”") % {"chapter": chapter.title}
    return _page(request, chapter, form, title, _("Save the authors"))


@requires(VIEW)
def comment(request, pk, chapter_pk):
    chapter = _chapter(request, pk, chapter_pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            writing_together.comment(chapter, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The comment was added."))
            return _back(chapter)
    title = _("Comment on “%(chapter)s”") % {"chapter": chapter.title}
    return _page(request, chapter, form, title, _("Add the comment"))
