"""A process's activities (add, edit, move, remove) and collaborations (add, edit, remove).

Moving and removing answer an htmx request with the activity list alone, swapped in place;
without JavaScript the same forms post normally and the page is shown again.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, require, requires
from processes import services
from processes.forms import ActivityForm, CollaborationForm
from processes.models import MANAGE, VIEW, Activity, Collaboration
from processes.views import add_errors, detail_context, visible_process

ACTIVITY_FIELDS = services.ACTIVITY_FIELDS
COLLABORATION_FIELDS = services.COLLABORATION_FIELDS


def _managed(request, model, pk):
    obj = get_visible_or_404(
        model.objects.select_related("process__unit"), request.user, VIEW, request=request, pk=pk
    )
    require(request.user, MANAGE, obj)
    return obj


def _back_to_list(request, process, notice):
    if request.htmx:
        context = detail_context(request, process)
        context["notice"] = notice
        return render(request, "processes/_activities.html", context)
    messages.success(request, notice)
    return redirect(f"{process.get_absolute_url()}#activities")


# -- activities ------------------------------------------------------------------------------


@requires(MANAGE)
def activity_add(request, pk):
    process = visible_process(request, pk)
    require(request.user, MANAGE, process)
    form = ActivityForm(request.POST or None, actor=request.user, process=process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_activity(
                process,
                actor=request.user,
                routines=data["routines"],
                form_token=data["form_token"],
                **{name: data[name] for name in ACTIVITY_FIELDS},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The activity was added."))
            return redirect(f"{process.get_absolute_url()}#activities")
    return render(
        request,
        "processes/activity_form.html",
        {"form": form, "process": process, "activity": None},
    )


@requires(MANAGE)
def activity_edit(request, pk):
    activity = _managed(request, Activity, pk)
    process = activity.process
    initial = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    initial["routines"] = list(activity.routines.all())
    form = ActivityForm(request.POST or None, initial=initial, actor=request.user, process=process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_activity(
                activity,
                actor=request.user,
                routines=data["routines"],
                **{name: data[name] for name in ACTIVITY_FIELDS},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect(f"{process.get_absolute_url()}#activities")
    return render(
        request,
        "processes/activity_form.html",
        {"form": form, "process": process, "activity": activity},
    )


@requires(MANAGE)
@require_POST
def activity_move(request, pk):
    activity = _managed(request, Activity, pk)
    direction = request.POST.get("direction")
    if direction not in (services.UP, services.DOWN):
        raise Http404
    moved = services.move_activity(activity, actor=request.user, direction=direction)
    notice = _("“%(name)s” is now step %(position)s.") % {
        "name": moved.name,
        "position": moved.position,
    }
    return _back_to_list(request, activity.process, notice)


@requires(MANAGE)
@require_POST
def activity_remove(request, pk):
    activity = _managed(request, Activity, pk)
    services.remove_activity(activity, actor=request.user)
    notice = _("The activity “%(name)s” was removed.") % {"name": activity.name}
    return _back_to_list(request, activity.process, notice)


# -- collaborations --------------------------------------------------------------------------


@requires(MANAGE)
def collaboration_add(request, pk):
    process = visible_process(request, pk)
    require(request.user, MANAGE, process)
    form = CollaborationForm(request.POST or None, actor=request.user, process=process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_collaboration(
                process,
                actor=request.user,
                form_token=data["form_token"],
                **{name: data[name] for name in COLLABORATION_FIELDS},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The collaboration was added."))
            return redirect(f"{process.get_absolute_url()}#collaborations")
    return render(
        request,
        "processes/collaboration_form.html",
        {"form": form, "process": process, "collaboration": None},
    )


@requires(MANAGE)
def collaboration_edit(request, pk):
    collaboration = _managed(request, Collaboration, pk)
    process = collaboration.process
    initial = {name: getattr(collaboration, name) for name in COLLABORATION_FIELDS}
    form = CollaborationForm(
        request.POST or None,
        initial=initial,
        actor=request.user,
        process=process,
        collaboration=collaboration,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_collaboration(
                collaboration,
                actor=request.user,
                **{name: form.cleaned_data[name] for name in COLLABORATION_FIELDS},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The collaboration was saved."))
            return redirect(f"{process.get_absolute_url()}#collaborations")
    return render(
        request,
        "processes/collaboration_form.html",
        {"form": form, "process": process, "collaboration": collaboration},
    )


@requires(MANAGE)
@require_POST
def collaboration_remove(request, pk):
    collaboration = _managed(request, Collaboration, pk)
    services.remove_collaboration(collaboration, actor=request.user)
    messages.success(
        request,
        _("The collaboration with %(partner)s was removed.") % {"partner": collaboration.partner},
    )
    return redirect(f"{collaboration.process.get_absolute_url()}#collaborations")
