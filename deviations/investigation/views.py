"""The work on one track: its steps, the judgement of seriousness, and the investigation page."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, requires
from actions import services as action_services
from actions.services import actions_for
from core import versioning
from deviations.investigation import services
from deviations.investigation.forms import InvestigationForm, TimelineForm, TrackActionForm
from deviations.investigation.models import Investigation
from deviations.models import TRACK_TRANSITIONS, Track

KEY = "deviations.investigate"


def _readable_track(request, pk):
    track = get_visible_or_404(
        Track.objects.select_related("deviation__unit"), request.user, request=request, pk=pk
    )
    if not services.may_work_on(request.user, track):
        raise PermissionDenied
    return track


def _page(request, track, form=None, timeline_form=None, action_form=None):
    investigation = services.investigation_of(track)
    return render(
        request,
        "deviations/investigation.html",
        {
            "track": track,
            "deviation": track.deviation,
            "form": form or versioning.stamp(_investigation_form(investigation)),
            "timeline": investigation.timeline.select_related("added_by"),
            "timeline_form": timeline_form or TimelineForm(),
            "action_form": action_form
            or TrackActionForm(
                owners=action_services.possible_owners(request.user),
                initial={"form_token": uuid.uuid4()},
            ),
            "actions": actions_for(track).select_related("owner"),
            "steps": [
                a
                for a, (source, _t) in TRACK_TRANSITIONS.items()
                if source == track.state and a != "start_investigation"
            ],
            "decision_gaps": services.decision_gaps(track),
            "closing_gaps": services.closing_gaps(track),
            "investigation": investigation,
        },
        status=versioning.status(form),
    )


def _investigation_form(investigation, data=None):
    return InvestigationForm(
        data, instance=investigation, initial={"causes": investigation.causes.all()}
    )


def _stored_investigation(track):
    """Inside the save: the track locked, the investigation as stored now."""
    list(Track.objects.select_for_update().filter(pk=track.pk).values_list("pk"))
    return _investigation_form(Investigation.objects.get(pk=services.investigation_of(track).pk))


@requires(KEY)
def investigation(request, pk):
    track = _readable_track(request, pk)
    if request.method != "POST":
        return _page(request, track)
    form = versioning.stamp(_investigation_form(services.investigation_of(track), request.POST))
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k in services.INVESTIGATION_FIELDS}
        try:
            with versioning.guard(form, lambda: _stored_investigation(track)):
                services.save_investigation(
                    track, actor=request.user, causes=form.cleaned_data["causes"], **fields
                )
        except ValidationError as error:
            form.add_error(None, error)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The investigation was saved."))
            return redirect("deviations:investigation", pk=track.pk)
    return _page(request, track, form=form)


@requires(KEY)
def timeline(request, pk):
    track = _readable_track(request, pk)
    form = TimelineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_timeline_entry(track, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("deviations:investigation", pk=track.pk)
    return _page(request, track, timeline_form=form)


@requires(KEY)
def track_action(request, pk):
    track = _readable_track(request, pk)
    form = TrackActionForm(
        request.POST or None, owners=action_services.possible_owners(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_track_action(track, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The action was added to the action list."))
            return redirect("deviations:investigation", pk=track.pk)
    return _page(request, track, action_form=form)


def _track(request, pk):
    return get_visible_or_404(
        Track.objects.select_related("deviation__unit"), request.user, request=request, pk=pk
    )


@require_POST
@requires("deviations.investigate")
def move(request, pk):
    track = _track(request, pk)
    try:
        services.move_track(
            track,
            request.POST.get("action", ""),
            actor=request.user,
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The track was updated."))
    if request.POST.get("next") == "investigation":
        return redirect("deviations:investigation", pk=track.pk)
    return redirect("deviations:detail", pk=track.deviation_id)


@require_POST
@requires("deviations.investigate")
def serious(request, pk):
    track = _track(request, pk)
    verdict = request.POST.get("serious")
    if verdict not in ("yes", "no"):
        messages.error(request, _("Choose whether the case is serious."))
    else:
        try:
            services.decide_serious(track, verdict == "yes", actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The judgement was recorded."))
    return redirect("deviations:detail", pk=track.deviation_id)
