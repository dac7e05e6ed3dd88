"""From draft to the board's decision, and the published versions: each step a small form, the
service checking the stage and the right."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import requires
from core.forms import BoardDecisionForm, ReasonForm, add_service_errors
from reports.exports import chapters_of
from reports.models import VIEW, WRITE
from reports.services import decision
from reports.views.access import visible_report


def _step(request, report, run, done):
    try:
        run()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(report)


@require_POST
@requires(WRITE)
def send_for_review(request, pk):
    report = visible_report(request, pk, WRITE)
    return _step(
        request,
        report,
        lambda: decision.send_for_review(report, actor=request.user),
        _("The report was sent for review."),
    )


@require_POST
@requires(WRITE)
def new_version(request, pk):
    report = visible_report(request, pk, WRITE)
    return _step(
        request,
        report,
        lambda: decision.new_version(report, actor=request.user),
        _("A new version was started; the approved one stays as it was."),
    )


def _form_page(request, report, form, title, button, intro=""):
    context = {"report": report, "form": form, "title": title, "button": button, "intro": intro}
    return render(request, "reports/step.html", context)


@requires(WRITE)
def back_to_draft(request, pk):
    report = visible_report(request, pk, WRITE)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision.back_to_draft(report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The report is a draft again."))
            return redirect(report)
    return _form_page(request, report, form, _("Back to the draft"), _("Back to the draft"))


@requires(WRITE)
def approve(request, pk):
    report = visible_report(request, pk, WRITE)
    form = BoardDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = decision.approve(report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The board's decision was recorded."))
            return redirect(version)
    intro = _(
        "As in the minutes. The report is then locked, and the approved version is kept as it "
        "is: later changes in the registers do not alter it."
    )
    title = _("Record the board's decision")
    return _form_page(request, report, form, title, title, intro)


@requires(VIEW)
def version(request, pk, number):
    report = visible_report(request, pk)
    found = report.versions.filter(number=number).first()
    if found is None:
        raise Http404
    context = {"report": report, "version": found, "snapshot": found.snapshot}
    context["chapters"] = chapters_of(found.snapshot)
    return render(request, "reports/version.html", context)
