"""The handling steps, each a small form on its own page (and the acknowledgment and the note
also on the feedback's page): the view checks the form, the service the state and the right."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import require, requires
from actions.services import create_action
from core.forms import ReasonForm, add_service_errors
from feedback.forms import (
    AcknowledgeForm,
    ActionForm,
    AnswerForm,
    DeviationForm,
    ForwardForm,
    NoteForm,
    PraiseForm,
    ThemeForm,
)
from feedback.models import COORDINATE, HANDLE, AnswerBy, Kind
from feedback.services import handling
from feedback.services.common import may_coordinate
from feedback.services.deviation import open_deviation
from feedback.views.register import visible_feedback
from organisation.models import NodeKind, OrgNode


def _step(request, feedback, form, run, *, title, done, button, intro=""):
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(feedback)
    return render(
        request,
        "feedback/step.html",
        {"feedback": feedback, "form": form, "title": title, "button": button, "intro": intro},
    )


def _handled(request, pk):
    feedback = visible_feedback(request, pk)
    require(request.user, HANDLE, feedback, request=request)
    return feedback


@requires(HANDLE)
def acknowledge(request, pk):
    feedback = _handled(request, pk)
    initial = {"health_care": feedback.health_care, "theme": feedback.theme_id}
    form = AcknowledgeForm(request.POST or None, initial=initial)
    return _step(
        request,
        feedback,
        form,
        lambda data: handling.acknowledge(
            feedback,
            actor=request.user,
            message=data["message"],
            health_care=data["health_care"],
            theme=data["theme"],
        ),
        title=_("Confirm the receipt"),
        intro=_(
            "The person hears that the feedback has come to the right place. With an e-mail "
            "address, the confirmation is sent from here; otherwise confirm it by phone or "
            "letter and record it here."
        ),
        done=_("The receipt was confirmed."),
        button=_("Confirm the receipt"),
    )


@requires(HANDLE)
def forward(request, pk):
    feedback = _handled(request, pk)
    units = OrgNode.objects.filter(
        is_active=True,
        path__startswith=feedback.unit.path[:9],
        kind__in=(NodeKind.UNIT, NodeKind.DEPARTMENT, NodeKind.ADMINISTRATION, NodeKind.BOARD),
    ).exclude(pk=feedback.unit_id)
    form = ForwardForm(request.POST or None, units=units.order_by("path"))
    return _step(
        request,
        feedback,
        form,
        lambda data: handling.forward(
            feedback, actor=request.user, unit=data["unit"], reason=data["reason"]
        ),
        title=_("Forward to another unit"),
        intro=_("The other unit handles it from here, and its managers hear of it at once."),
        done=_("The feedback was forwarded."),
        button=_("Forward"),
    )


@requires(HANDLE)
def note(request, pk):
    feedback = _handled(request, pk)
    form = NoteForm(request.POST or None)
    return _step(
        request,
        feedback,
        form,
        lambda data: handling.add_note(
            feedback, actor=request.user, text=data["text"], form_token=data["form_token"]
        ),
        title=_("Add a note"),
        intro=_(
            "What you found out, for your colleagues and the record. The person does not see it."
        ),
        done=_("The note was added."),
        button=_("Add the note"),
    )


@requires(HANDLE)
def answer(request, pk):
    feedback = _handled(request, pk)
    initial = {"sent_by": feedback.answer_by or AnswerBy.LINK}
    form = AnswerForm(request.POST or None, initial=initial)
    return _step(
        request,
        feedback,
        form,
        lambda data: handling.answer(
            feedback, actor=request.user, text=data["text"], sent_by=data["sent_by"]
        ),
        title=_("Answer"),
        intro=_(
            "The answer is shown to the person through their private link. By e-mail it is "
            "sent from here; by letter or phone, send or give it yourself and record it here."
        ),
        done=_("The answer was recorded."),
        button=_("Record the answer"),
    )


@requires(HANDLE)
def praise(request, pk):
    feedback = _handled(request, pk)
    if feedback.kind != Kind.PRAISE:
        raise PermissionDenied
    form = PraiseForm(request.POST or None, initial={"message": feedback.description})
    return _step(
        request,
        feedback,
        form,
        lambda data: handling.pass_on_praise(feedback, actor=request.user, message=data["message"]),
        title=_("Pass the praise on to the staff"),
        intro=_("Everyone with a role at the unit gets it by e-mail; then it is closed."),
        done=_("The praise was passed on."),
        button=_("Pass on"),
    )


def _reason_step(request, pk, run, **texts):
    feedback = _handled(request, pk)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].required = texts.pop("reason_required", True)
    return _step(
        request,
        feedback,
        form,
        lambda data: run(feedback, actor=request.user, reason=data["reason"]),
        **texts,
    )


@requires(HANDLE)
def close(request, pk):
    return _reason_step(
        request,
        pk,
        handling.close,
        reason_required=False,
        title=gettext_lazy("Close"),
        intro=gettext_lazy(
            "When it is handled. If the person wanted an answer and got none, say why."
        ),
        done=gettext_lazy("The feedback was closed."),
        button=gettext_lazy("Close"),
    )


@requires(HANDLE)
def reopen(request, pk):
    return _reason_step(
        request,
        pk,
        handling.reopen,
        title=gettext_lazy("Reopen"),
        done=gettext_lazy("The feedback was reopened."),
        button=gettext_lazy("Reopen"),
    )


def _held(request, pk):
    feedback = visible_feedback(request, pk)
    if not may_coordinate(request.user, feedback):
        raise PermissionDenied
    return feedback


@requires(COORDINATE)
def release(request, pk):
    feedback = _held(request, pk)
    if request.method != "POST":
        return redirect(feedback)
    try:
        handling.release(feedback, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The feedback was released to its unit."))
    return redirect(feedback)


@requires(COORDINATE)
def discard(request, pk):
    feedback = _held(request, pk)
    form = ReasonForm(request.POST or None)
    return _step(
        request,
        feedback,
        form,
        lambda data: handling.discard(feedback, actor=request.user, reason=data["reason"]),
        title=_("Discard as abuse"),
        intro=_("Only what is plainly not feedback: it stays in the record, discarded."),
        done=_("The submission was discarded."),
        button=_("Discard"),
    )


@requires(HANDLE)
def deviation(request, pk):
    feedback = _handled(request, pk)
    units = OrgNode.objects.visible_to(request.user, "deviations.report").filter(is_active=True)
    initial = {
        "unit": feedback.unit_id,
        "description": feedback.description,
        "health_care": feedback.health_care,
    }
    form = DeviationForm(request.POST or None, initial=initial, units=units.order_by("name"))
    return _step(
        request,
        feedback,
        form,
        lambda data: open_deviation(
            feedback,
            actor=request.user,
            unit=data["unit"],
            description=data["description"],
            lex_sarah=data["lex_sarah"],
            health_care=data["health_care"],
        ),
        title=_("Report as a deviation"),
        intro=_(
            "When the feedback reveals a possible missförhållande or vårdskada: a deviation "
            "report is opened in the unit with the text below, and is classified and "
            "investigated like any other. The feedback and the report link to each other."
        ),
        done=_("A deviation report was opened."),
        button=_("Open the report"),
    )


@requires(HANDLE)
def action(request, pk):
    feedback = _handled(request, pk)
    form = ActionForm(request.POST or None, actor=request.user)
    return _step(
        request,
        feedback,
        form,
        lambda data: create_action(
            actor=request.user,
            unit=feedback.unit,
            title=data["title"],
            description=data["description"],
            owner=data["owner"],
            due_date=data["due_date"],
            source=feedback,
            form_token=data["form_token"],
        ),
        title=_("Make an action"),
        intro=_(
            "What the feedback showed must change goes on the unit's action list, with an owner "
            "and a date, and is followed up there."
        ),
        done=_("The action was created."),
        button=_("Create the action"),
    )


@requires(HANDLE)
def theme(request, pk):
    feedback = _handled(request, pk)
    form = ThemeForm(request.POST or None, initial={"theme": feedback.theme_id})
    return _step(
        request,
        feedback,
        form,
        lambda data: handling.set_theme(feedback, actor=request.user, theme=data["theme"]),
        title=_("Theme"),
        intro=_("What the feedback is about. The statistics count by theme."),
        done=_("The theme was saved."),
        button=_("Save"),
    )
