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
from core import versioning
from core.forms import add_service_errors
from processes import services
from processes.forms import ActivityForm, CollaborationForm
from processes.models import MANAGE, VIEW, Activity, Collaboration, Process
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


def _form_page(request, form, save, *, notice, anchor, template, context, stored=None):
    """The add and edit pages: a valid form goes to the service `save(data)`; its refusal
    lands on the form, success goes back to the process at `anchor`. An edit page passes
    `stored`, which locks the record and builds the form from what is stored now: a page
    loaded before a colleague's save then shows the conflict instead of overwriting it."""
    process = context["process"]
    if stored is not None:
        versioning.stamp(form)
    if request.method == "POST" and form.is_valid():
        try:
            if stored is None:
                save(form.cleaned_data)
            else:
                with versioning.guard(form, stored):
                    save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, notice)
            return redirect(f"{process.get_absolute_url()}#{anchor}")
    return render(request, template, {"form": form, **context}, status=versioning.status(form))


def _locked(model, obj):
    """The process first, then the part: the order the services lock in."""
    list(Process.objects.select_for_update().filter(pk=obj.process_id).values_list("pk"))
    return model.objects.select_related("process").get(pk=obj.pk)


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
    form = _activity_form(request, activity, request.POST or None)
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
        stored=lambda: _activity_form(request, _locked(Activity, activity)),
    )


def _activity_form(request, activity, data=None):
    initial = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    initial["routines"] = list(activity.routines.all())
    return ActivityForm(data, initial=initial, actor=request.user, process=activity.process)


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
    form = _collaboration_form(request, collaboration, request.POST or None)
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
        stored=lambda: _collaboration_form(request, _locked(Collaboration, collaboration)),
    )


def _collaboration_form(request, collaboration, data=None):
    initial = {name: getattr(collaboration, name) for name in COLLABORATION_FIELDS}
    return CollaborationForm(
        data,
        initial=initial,
        actor=request.user,
        process=collaboration.process,
        collaboration=collaboration,
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
