"""One risk analysis: its page, creating and editing it, its moves and its review."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import require, requires
from core import versioning
from core.forms import add_service_errors
from processes.models import Process
from risks.forms import AnalysisCreateForm, AnalysisForm, MoveForm, ReviewForm, manageable_units
from risks.models import MANAGE, VIEW, RiskAnalysis, RiskEvent, Status, SubjectKind
from risks.models.analysis import allowed_targets, needs_reason
from risks.rules import missing_rules
from risks.services import analysis as services
from risks.services.base import ORIGINS, may_manage, origin_object
from risks.services.measures import measures_of
from risks.views.common import heat_maps, matrix_of, scored, visible_analysis

FORM_FIELDS = (
    "title",
    "subject_kind",
    "description",
    "responsible",
    "health_care_in_scope",
    "work_environment_in_scope",
    "review_on",
)


def detail_context(request, analysis, **extra):
    user = request.user
    matrix = matrix_of(analysis)
    events = scored(matrix, list(analysis.events.all()))
    participants = list(analysis.participants.select_related("function"))
    before, after = heat_maps(matrix, events)
    manage = may_manage(user, analysis)
    measures = list(measures_of(analysis, user))
    event_type = ContentType.objects.get_for_model(RiskEvent)
    by_pk = {event.pk: event for event in events}
    for action in measures:
        action.event = (
            by_pk.get(action.source_id) if action.source_type_id == event_type.pk else None
        )
    context = {
        "analysis": analysis,
        "matrix": matrix,
        "events": events,
        "participants": participants,
        "missing": missing_rules(analysis, participants),
        "heat_before": before,
        "heat_after": after,
        "measures": measures,
        "may_manage": manage,
        "moves": [
            {"to": to, "label": Status(to).label, "needs_reason": needs_reason(analysis.status, to)}
            for to in allowed_targets(analysis.status)
        ]
        if manage
        else [],
        "transitions": analysis.transitions.select_related("actor"),
        "process_visible": analysis.process_id
        and Process.objects.visible_to(user).filter(pk=analysis.process_id).exists(),
        "late": analysis.is_overdue(),
    }
    context.update(extra)
    return context


@requires(VIEW)
def detail(request, pk):
    analysis = visible_analysis(request, pk)
    return render(request, "risks/detail.html", detail_context(request, analysis))


def _start_points(request, data):
    """The process (?process=pk) and the origin (?origin=app.model:pk) the analysis starts
    from, each checked visible to the person; 404 alike for unknown and forbidden."""
    process = origin = None
    process_pk = data.get("process")
    if process_pk:
        process = Process.objects.visible_to(request.user).filter(pk=process_pk).first()
        if process is None:
            raise Http404
    raw = data.get("origin") or ""
    if raw:
        label, _sep, origin_pk = raw.partition(":")
        origin = origin_object(request.user, label, origin_pk) if label in ORIGINS else None
        if origin is None:
            raise Http404
    return process, origin


def _initial(request, process, origin):
    units = manageable_units(request.user)
    initial = {}
    unit_pk = request.GET.get("unit")
    if process is not None:
        initial.update(
            process=process.pk,
            subject_kind=SubjectKind.PROCESS,
            title=_("Risk analysis of the process “%(name)s”") % {"name": process.name},
        )
        unit_pk = process.unit_id
    if origin is not None:
        label = origin._meta.label_lower
        initial.update(
            origin=f"{label}:{origin.pk}",
            subject_kind=ORIGINS[label],
            title=_("Risk analysis after “%(title)s”") % {"title": origin},
        )
        unit_pk = getattr(origin, "get_scope_node", lambda: None)()
        unit_pk = unit_pk.pk if unit_pk is not None else None
    subject = request.GET.get("subject")
    if subject in SubjectKind.values and process is None and origin is None:
        initial["subject_kind"] = subject
    if unit_pk and units.filter(pk=unit_pk).exists():
        initial["unit"] = int(unit_pk)
    else:
        only = list(units.values_list("pk", flat=True)[:2])
        if len(only) == 1:
            initial["unit"] = only[0]
    return initial


@requires(MANAGE)
def create(request):
    if request.method == "POST":
        form = AnalysisCreateForm(request.POST, actor=request.user)
        process, origin = _start_points(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                analysis = services.create_analysis(
                    actor=request.user,
                    unit=data["unit"],
                    process=process,
                    origin=origin,
                    form_token=data["form_token"],
                    **{name: data[name] for name in FORM_FIELDS},
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if analysis.just_created:
                    messages.success(request, _("The risk analysis was started."))
                return redirect(analysis)
    else:
        process, origin = _start_points(request, request.GET)
        form = AnalysisCreateForm(initial=_initial(request, process, origin), actor=request.user)
    return render(
        request,
        "risks/form.html",
        {"form": form, "analysis": None, "process": process, "origin": origin},
    )


def _edit_form(request, analysis, data=None):
    initial = {name: getattr(analysis, name) for name in (*FORM_FIELDS, "conclusion")}
    return AnalysisForm(data, initial=initial, actor=request.user, analysis=analysis)


@requires(VIEW)
def edit(request, pk):
    analysis = visible_analysis(request, pk)
    require(request.user, MANAGE, analysis)
    form = versioning.stamp(_edit_form(request, analysis, request.POST or None))
    if request.method == "POST" and form.is_valid():
        stored = RiskAnalysis.objects.select_for_update(of=("self",))
        try:
            with versioning.guard(form, lambda: _edit_form(request, stored.get(pk=analysis.pk))):
                services.update_analysis(
                    analysis,
                    actor=request.user,
                    **{name: form.cleaned_data[name] for name in (*FORM_FIELDS, "conclusion")},
                )
        except ValidationError as error:
            add_service_errors(form, error)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The risk analysis was saved."))
            return redirect(analysis)
    return render(
        request,
        "risks/form.html",
        {"form": form, "analysis": analysis},
        status=versioning.status(form),
    )


@requires(VIEW)
@require_POST
def move(request, pk):
    analysis = visible_analysis(request, pk)
    require(request.user, MANAGE, analysis)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.move(
                analysis,
                form.cleaned_data["to"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The risk analysis is now “%(status)s”.")
                % {"status": analysis.get_status_display()},
            )
    else:
        messages.error(request, _("Choose what happens to the analysis."))
    return redirect(analysis)


@requires(VIEW)
def review(request, pk):
    analysis = visible_analysis(request, pk)
    require(request.user, MANAGE, analysis)
    if analysis.status != Status.DECIDED:
        messages.error(request, _("A decided analysis is reviewed."))
        return redirect(analysis)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(
                analysis,
                actor=request.user,
                next_review_on=form.cleaned_data["next_review_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The review was recorded."))
            return redirect(analysis)
    return render(request, "risks/review_form.html", {"form": form, "analysis": analysis})
