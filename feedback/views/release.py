"""Releasing a feedback as a public document: the handler marks what is secret or personal,
sees the copy as it will be released, and downloads it masked (PDF)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import require, requires
from core.forms import add_service_errors
from feedback.forms import MaskForm
from feedback.models import HANDLE
from feedback.release import copy_of, default_ground
from feedback.services import release
from feedback.views.register import visible_feedback


def _handled(request, pk):
    feedback = visible_feedback(request, pk)
    require(request.user, HANDLE, feedback, request=request)
    return feedback


@requires(HANDLE)
def masking(request, pk):
    feedback = _handled(request, pk)
    form = MaskForm(request.POST or None, default=default_ground(feedback))
    if request.method == "POST" and form.is_valid():
        try:
            release.mark_passage(
                feedback,
                actor=request.user,
                passage=form.cleaned_data["passage"],
                ground=form.cleaned_data["ground"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The words are masked in the copy."))
            return redirect(reverse("feedback:masking", args=[feedback.pk]))
    return render(
        request,
        "feedback/masking.html",
        {
            "feedback": feedback,
            "form": form,
            "copy": copy_of(feedback),
            "maskings": feedback.maskings.select_related("ground__section__regulation"),
        },
    )


@require_POST
@requires(HANDLE)
def unmask(request, pk, masking_pk):
    feedback = _handled(request, pk)
    marked = feedback.maskings.filter(pk=masking_pk).first()
    if marked is None:
        raise Http404
    release.unmark_passage(marked, actor=request.user)
    messages.success(request, _("The masking was removed."))
    return redirect(reverse("feedback:masking", args=[feedback.pk]))


@requires(HANDLE)
def copy_pdf(request, pk):
    feedback = _handled(request, pk)
    response = HttpResponse(release.release_copy(feedback, actor=request.user), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kopia-{feedback.reference}.pdf"'
    return response
