"""The process register, one process's page, creating and editing processes, and coverage.

Activities and collaborations: processes/views_parts.py. State changes: processes/services.py.
Everyone with `processes.view` sees the processes of their nodes and of the levels above;
`processes.manage` on the process's node is needed to change anything.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, require, requires
from accounts.scoping import holds
from core import versioning
from core.forms import add_service_errors
from processes import services
from processes.coverage import Status, coverage, process_row, with_coverage_data
from processes.forms import (
    LEVEL_OF_KIND,
    LEVELS,
    ProcessCreateForm,
    ProcessForm,
    RegisterFilterForm,
    manageable_nodes,
)
from processes.models import MANAGE, VIEW, Process
from routines.models import Routine

COVERAGE_KEY = "routines.manage"
FORM_FIELDS = services.PROCESS_FIELDS


def visible_process(request, pk, queryset=None):
    return get_visible_or_404(
        queryset if queryset is not None else Process.objects.select_related("unit", "owner"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )


def routine_url(routine):
    try:
        return reverse("routines:detail", args=[routine.pk])
    except NoReverseMatch:
        return None


def mark_visible(user, rows):
    """Give each routine state of the coverage rows `visible` and `url`: routines the person
    cannot see are shown without their title (a unit's routine stays within the unit)."""
    states = []
    for row in rows:
        for activity in row.activities:
            states.extend(activity.routines)
        states.extend(c.routine for c in row.collaborations if c.routine)
    pks = {state.routine.pk for state in states}
    visible = set(Routine.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))
    for state in states:
        state.visible = state.routine.pk in visible
        state.url = routine_url(state.routine) if state.visible else None
    return rows


# -- the register ----------------------------------------------------------------------------


@requires(VIEW)
def register(request):
    form = RegisterFilterForm(request.GET or None, user=request.user)
    processes = (
        form.filter(Process.objects.visible_to(request.user))
        .select_related("unit", "owner")
        .prefetch_related("services")
        .annotate(activity_count=Count("activities", distinct=True))
        .order_by("unit__path", "name", "pk")
    )
    groups = {key: [] for key, _label in LEVELS}
    for process in processes:
        groups[LEVEL_OF_KIND.get(process.unit.kind, "unit")].append(process)
    return render(
        request,
        "processes/register.html",
        {
            "form": form,
            "groups": [(key, label, groups[key]) for key, label in LEVELS],
            "count": sum(len(rows) for rows in groups.values()),
            "filtered": bool(request.GET),
            "may_create": holds(request.user, MANAGE),
            "may_see_coverage": holds(request.user, COVERAGE_KEY),
        },
    )


# -- one process -----------------------------------------------------------------------------


def detail_context(request, process):
    """What the page and its activity list (also sent alone to htmx) show."""
    process = with_coverage_data(Process.objects.filter(pk=process.pk)).get()
    row = process_row(process, timezone.localdate())
    mark_visible(request.user, [row])
    return {
        "process": process,
        "row": row,
        "may_manage": services.may_manage(request.user, process),
    }


@requires(VIEW)
def detail(request, pk):
    process = visible_process(request, pk)
    context = detail_context(request, process)
    context["services"] = process.services.all()
    context["legal_sections"] = process.legal_sections.select_related(
        "regulation", "counterpart__regulation"
    )
    return render(request, "processes/detail.html", context)


@requires(MANAGE)
def create(request):
    if request.method == "POST":
        form = ProcessCreateForm(request.POST, actor=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                process = services.create_process(
                    actor=request.user,
                    form_token=data["form_token"],
                    **{name: data[name] for name in FORM_FIELDS},
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if process.just_created:
                    messages.success(request, _("The process was created."))
                return redirect(process)
    else:
        initial = {}
        nodes = list(manageable_nodes(request.user).values_list("pk", flat=True)[:2])
        if len(nodes) == 1:
            initial["unit"] = nodes[0]
        form = ProcessCreateForm(initial=initial, actor=request.user)
    return render(request, "processes/form.html", {"form": form, "process": None})


@requires(VIEW)
def edit(request, pk):
    process = visible_process(request, pk)
    require(request.user, MANAGE, process)
    form = versioning.stamp(_process_form(request, process, request.POST or None))
    if request.method == "POST" and form.is_valid():
        stored = Process.objects.select_for_update().select_related("unit", "owner")
        try:
            with versioning.guard(form, lambda: _process_form(request, stored.get(pk=process.pk))):
                services.update_process(
                    process,
                    actor=request.user,
                    **{name: form.cleaned_data[name] for name in FORM_FIELDS},
                )
        except ValidationError as error:
            add_service_errors(form, error)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The process was saved."))
            return redirect(process)
    return render(
        request,
        "processes/form.html",
        {"form": form, "process": process},
        status=versioning.status(form),
    )


def _process_form(request, process, data=None):
    initial = {
        "unit": process.unit,
        "name": process.name,
        "purpose": process.purpose,
        "owner": process.owner,
        "services": list(process.services.all()),
        "legal_sections": list(process.legal_sections.all()),
    }
    return ProcessForm(data, initial=initial, actor=request.user, process=process)


@requires(VIEW)
@require_POST
def deactivate(request, pk):
    process = visible_process(request, pk)
    require(request.user, MANAGE, process)
    services.deactivate_process(process, actor=request.user)
    messages.success(request, _("The process is no longer in use."))
    return redirect(process)


@requires(VIEW)
@require_POST
def reactivate(request, pk):
    process = visible_process(request, pk)
    require(request.user, MANAGE, process)
    services.reactivate_process(process, actor=request.user)
    messages.success(request, _("The process is in use again."))
    return redirect(process)


# -- coverage --------------------------------------------------------------------------------


@requires(COVERAGE_KEY)
def coverage_view(request):
    form = RegisterFilterForm(request.GET or None, user=request.user)
    del form.fields["inactive"]
    processes = form.filter(Process.objects.visible_to(request.user)).order_by(
        "unit__path", "name", "pk"
    )
    result = coverage(processes)
    mark_visible(request.user, result.rows)
    return render(
        request,
        "processes/coverage.html",
        {
            "form": form,
            "coverage": result,
            "statuses": Status,
            "status_rows": [
                (status, status.label, result.totals.status_counts[status])
                for status in reversed(list(Status))
            ],
            "filtered": bool(request.GET),
        },
    )
