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
from core.forms import add_service_errors
from processes import services
from processes.forms import ActivityForm, CollaborationForm
from processes.models import MANAGE, VIEW, Activity, Collaboration
from processes.views import detail_context, visible_process

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


def _form_page(request, form, save, *, notice, anchor, template, context):
    """The add and edit pages: a valid form goes to the service `save(data)`; its refusal
    lands on the form, success goes back to the process at `anchor`."""
    process = context["process"]
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, notice)
            return redirect(f"{process.get_absolute_url()}#{anchor}")
    return render(request, template, {"form": form, **context})


# -- activities ------------------------------------------------------------------------------


def _activity_fields(data):
    return {"routines": data["routines"], **{name: data[name] for name in ACTIVITY_FIELDS}}


@requires(MANAGE)
def activity_add(request, pk):
    process = visible_process(request, pk)
    require(request.user, MANAGE, process)
    form = ActivityForm(request.POST or None, actor=request.user, process=process)
    return _form_page(
        request,
        form,
        lambda data: services.add_activity(
            process, actor=request.user, form_token=data["form_token"], **_activity_fields(data)
        ),
        notice=_("The activity was added."),
        anchor="activities",
        template="processes/activity_form.html",
        context={"process": process, "activity": None},
    )


@requires(MANAGE)
def activity_edit(request, pk):
    activity = _managed(request, Activity, pk)
    process = activity.process
    initial = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    initial["routines"] = list(activity.routines.all())
    form = ActivityForm(request.POST or None, initial=initial, actor=request.user, process=process)
    return _form_page(
        request,
        form,
        lambda data: services.update_activity(
            activity, actor=request.user, **_activity_fields(data)
        ),
        notice=_("The activity was saved."),
        anchor="activities",
        template="processes/activity_form.html",
        context={"process": process, "activity": activity},
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
    return _form_page(
        request,
        form,
        lambda data: services.add_collaboration(
            process,
            actor=request.user,
            form_token=data["form_token"],
            **{name: data[name] for name in COLLABORATION_FIELDS},
        ),
        notice=_("The collaboration was added."),
        anchor="collaborations",
        template="processes/collaboration_form.html",
        context={"process": process, "collaboration": None},
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
    return _form_page(
        request,
        form,
        lambda data: services.update_collaboration(
            collaboration,
            actor=request.user,
            **{name: data[name] for name in COLLABORATION_FIELDS},
        ),
        notice=_("The collaboration was saved."),
        anchor="collaborations",
        template="processes/collaboration_form.html",
        context={"process": process, "collaboration": collaboration},
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
