"""Participants, events, the residual score and measures of one risk analysis."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, require, requires
from core.forms import add_service_errors
from risks.forms import EventForm, MeasureForm, ParticipantForm, ResidualForm
from risks.models import MANAGE, VIEW, Participant
from risks.services import events as event_services
from risks.services import participants as participant_services
from risks.services.measures import add_measure
from risks.views.common import matrix_of, visible_analysis, visible_event


def _managed(request, pk):
    analysis = visible_analysis(request, pk)
    require(request.user, MANAGE, analysis)
    return analysis


def _page(request, template, analysis, form, **extra):
    return render(request, template, {"analysis": analysis, "form": form, **extra})


# -- participants ----------------------------------------------------------------------------


@requires(VIEW)
def participant_add(request, pk):
    analysis = _managed(request, pk)
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant_services.add_participant(
                analysis,
                actor=request.user,
                name=form.cleaned_data["name"],
                function=form.cleaned_data["function"],
                form_token=form.cleaned_data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The participant was added."))
            return redirect(analysis.get_absolute_url() + "#participants")
    return _page(request, "risks/participant_form.html", analysis, form)


@requires(VIEW)
@require_POST
def participant_remove(request, pk):
    participant = get_visible_or_404(
        Participant.objects.select_related("analysis__unit", "function"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )
    analysis = participant.analysis
    require(request.user, MANAGE, analysis)
    try:
        participant_services.remove_participant(participant, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The participant was removed."))
    return redirect(analysis.get_absolute_url() + "#participants")


# -- events ----------------------------------------------------------------------------------


@requires(VIEW)
def event_add(request, pk):
    analysis = _managed(request, pk)
    matrix = matrix_of(analysis)
    form = EventForm(request.POST or None, matrix=matrix)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = event_services.add_event(
                analysis,
                actor=request.user,
                description=data["description"],
                cause=data["cause"],
                likelihood=data["likelihood"],
                consequence=data["consequence"],
                form_token=data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was added."))
            return redirect(event)
    return _page(request, "risks/event_form.html", analysis, form, matrix=matrix, event=None)


@requires(VIEW)
def event_edit(request, pk):
    event = visible_event(request, pk)
    analysis = event.analysis
    require(request.user, MANAGE, analysis)
    matrix = matrix_of(analysis)
    initial = {
        "description": event.description,
        "cause": event.cause,
        "likelihood": event.likelihood,
        "consequence": event.consequence,
    }
    form = EventForm(request.POST or None, initial=initial, matrix=matrix)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event_services.update_event(
                event,
                actor=request.user,
                description=data["description"],
                cause=data["cause"],
                likelihood=data["likelihood"],
                consequence=data["consequence"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect(event)
    return _page(request, "risks/event_form.html", analysis, form, matrix=matrix, event=event)


@requires(VIEW)
@require_POST
def event_remove(request, pk):
    event = visible_event(request, pk)
    analysis = event.analysis
    require(request.user, MANAGE, analysis)
    try:
        event_services.remove_event(event, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The event was removed."))
    return redirect(analysis.get_absolute_url() + "#events")


@requires(VIEW)
def event_residual(request, pk):
    event = visible_event(request, pk)
    analysis = event.analysis
    require(request.user, MANAGE, analysis)
    matrix = matrix_of(analysis)
    initial = {
        "residual_likelihood": event.residual_likelihood or event.likelihood,
        "residual_consequence": event.residual_consequence or event.consequence,
    }
    form = ResidualForm(request.POST or None, initial=initial, matrix=matrix)
    if request.method == "POST" and form.is_valid():
        try:
            event_services.score_residual(
                event,
                actor=request.user,
                likelihood=form.cleaned_data["residual_likelihood"],
                consequence=form.cleaned_data["residual_consequence"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The risk after the measures was recorded."))
            return redirect(event)
    return _page(request, "risks/residual_form.html", analysis, form, event=event)


# -- measures --------------------------------------------------------------------------------


@requires(VIEW)
def measure_add(request, pk):
    analysis = _managed(request, pk)
    initial = {}
    event_pk = request.GET.get("event")
    if event_pk and event_pk.isdigit() and analysis.events.filter(pk=event_pk).exists():
        initial["event"] = int(event_pk)
    form = MeasureForm(request.POST or None, initial=initial, actor=request.user, analysis=analysis)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = add_measure(
                analysis,
                actor=request.user,
                event=data["event"],
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                due_date=data["due_date"],
                planned_effect_check_date=data["planned_effect_check_date"],
                form_token=data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if action.just_created:
                messages.success(request, _("The measure was added as an action."))
            return redirect(analysis.get_absolute_url() + "#measures")
    return _page(request, "risks/measure_form.html", analysis, form)
