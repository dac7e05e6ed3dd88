"""The plan register, a plan's page, drafting and the board's decision, the overdue list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, may_open, requires
from accounts.scoping import holds
from core import versioning
from core.forms import ReasonForm, add_service_errors
from internal_control.due import overdue_dates
from internal_control.forms import (
    ControlPointForm,
    DecisionForm,
    FilterForm,
    PlanCreateForm,
    draft_forms,
)
from internal_control.models import (
    MANAGE,
    VIEW,
    ControlPoint,
    ControlResult,
    InternalControlPlan,
    ReportingDate,
    Status,
)
from internal_control.services import plans as services
from internal_control.services.base import may_manage, may_report
from internal_control.views.common import require_manage, visible_plan
from legal.models import RegulationSection
from organisation.models import OrgNode


def legal_basis():
    """Kommunallagen 6 kap 6 §, as the register of laws cites it (None if not registered)."""
    return (
        RegulationSection.objects.select_related("regulation", "counterpart__regulation")
        .filter(regulation__code="kl", reference="6 kap 6 §")
        .first()
    )


@requires(VIEW)
def plan_list(request):
    visible = InternalControlPlan.objects.visible_to(request.user)
    form = FilterForm(request.GET or None)
    form.fields["board"].queryset = OrgNode.objects.filter(
        pk__in=visible.values("board_id")
    ).order_by("name")
    plans = (
        form.filter(visible)
        .select_related("board")
        .annotate(point_count=Count("control_points", distinct=True))
        .order_by("-year", "board__name", "pk")
    )
    return render(
        request,
        "internal_control/list.html",
        {
            "form": form,
            "plans": plans,
            "filtered": bool(request.GET),
            "may_create": holds(request.user, MANAGE),
            "legal_basis": legal_basis(),
        },
    )


def points_of(plan):
    results = ControlResult.objects.select_related("recorded_by")
    dates = ReportingDate.objects.order_by("due_on").prefetch_related(
        Prefetch("result", queryset=results)
    )
    return list(
        ControlPoint.objects.filter(plan=plan)
        .select_related("method", "responsible")
        .prefetch_related(Prefetch("reporting_dates", queryset=dates))
        .order_by("position", "pk")
    )


def _result_of(row):
    try:
        return row.result
    except ControlResult.DoesNotExist:
        return None


@requires(VIEW)
def detail(request, pk):
    plan = visible_plan(request, pk)
    points = points_of(plan)
    for point in points:
        point.plan = plan
        point.may_report = may_report(request.user, point)
        point.dates = [(row, _result_of(row)) for row in point.reporting_dates.all()]
    analysis_url = None
    if plan.risk_analysis is not None:
        url = plan.risk_analysis.get_absolute_url()
        if may_open(request.user, url, plan.risk_analysis):
            analysis_url = url
    return render(
        request,
        "internal_control/detail.html",
        {
            "plan": plan,
            "analysis_url": analysis_url,
            "points": points,
            "may_manage": may_manage(request.user, plan.board),
            "reports": plan.reports.order_by("created_at"),
            "transitions": plan.transitions.select_related("actor"),
            "decision_form": DecisionForm(),
            "reason_form": ReasonForm(),
        },
    )


@requires(MANAGE)
def create(request):
    form = PlanCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                actor=request.user,
                board=data["board"],
                year=data["year"],
                form_token=data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if plan.just_created:
                messages.success(request, _("The plan was created."))
            return redirect(plan)
    return render(request, "internal_control/plan_form.html", {"form": form})


def _approved_already(request, plan):
    messages.info(request, _("The board has approved the plan. Reopen it before it is changed."))
    return redirect(plan)


@requires(VIEW)
def draft(request, pk):
    """The board's yearly analysis's events, highest risk first, the high ones chosen: the
    chosen become control points."""
    plan = visible_plan(request, pk)
    require_manage(request, plan.board)
    if plan.status != Status.DRAFT:
        return _approved_already(request, plan)
    analyses = list(services.yearly_analyses(plan.board))
    analysis = None
    wanted = request.POST.get("analysis") or request.GET.get("analysis")
    if wanted:
        analysis = next((a for a in analyses if str(a.pk) == wanted), None)
    if analysis is None and analyses:
        analysis = plan.risk_analysis if plan.risk_analysis in analyses else analyses[0]
    events = services.analysis_events(analysis) if analysis else []
    taken = set(
        plan.control_points.exclude(risk_event=None).values_list("risk_event_id", flat=True)
    )
    events = [e for e in events if e.pk not in taken]
    rows = draft_forms(
        request.POST if request.method == "POST" else None,
        events=events,
        plan=plan,
        actor=request.user,
    )
    error = None
    if request.method == "POST" and analysis is not None and all(r.is_valid() for r in rows):
        choices = [
            {
                **{k: r.cleaned_data[k] for k in ("what", "method", "frequency", "responsible")},
                "event": r.event,
            }
            for r in rows
            if r.cleaned_data.get("chosen")
        ]
        try:
            made = services.draft_from_analysis(
                plan, actor=request.user, analysis=analysis, choices=choices
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("%(count)s control points were added.") % {"count": len(made)}
            )
            return redirect(plan)
    return render(
        request,
        "internal_control/draft.html",
        {
            "plan": plan,
            "analyses": analyses,
            "analysis": analysis,
            "rows": rows,
            "error": error,
        },
    )


@requires(VIEW)
def point_add(request, pk):
    plan = visible_plan(request, pk)
    require_manage(request, plan.board)
    if plan.status != Status.DRAFT:
        return _approved_already(request, plan)
    form = ControlPointForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_control_point(
                plan,
                actor=request.user,
                what=data["what"],
                method=data["method"],
                frequency=data["frequency"],
                responsible=data["responsible"],
                reporting_dates=data["reporting_dates"],
                form_token=data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The control point was added."))
            return redirect(plan)
    return render(request, "internal_control/point_form.html", {"form": form, "plan": plan})


def _point_form(point, data=None):
    initial = {
        "what": point.what,
        "method": point.method,
        "frequency": point.frequency,
        "responsible": point.responsible,
        "reporting_dates": [d.due_on for d in point.reporting_dates.order_by("due_on")],
    }
    return ControlPointForm(data, initial=initial, plan=point.plan, with_token=False)


@requires(VIEW)
def point_edit(request, pk):
    point = get_visible_or_404(
        ControlPoint.objects.select_related("plan__board", "method", "responsible"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )
    plan = point.plan
    require_manage(request, plan.board)
    if plan.status != Status.DRAFT:
        return _approved_already(request, plan)
    form = versioning.stamp(_point_form(point, request.POST or None))
    if request.method == "POST" and form.is_valid():
        stored = ControlPoint.objects.select_for_update(of=("self",)).select_related("plan__board")
        data = form.cleaned_data
        try:
            with versioning.guard(form, lambda: _point_form(stored.get(pk=point.pk))):
                services.update_control_point(
                    point,
                    actor=request.user,
                    **{
                        name: data[name]
                        for name in (
                            "what",
                            "method",
                            "frequency",
                            "responsible",
                            "reporting_dates",
                        )
                    },
                )
        except ValidationError as error:
            add_service_errors(form, error)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The control point was saved."))
            return redirect(plan)
    return render(
        request,
        "internal_control/point_form.html",
        {"form": form, "plan": plan, "point": point},
        status=versioning.status(form),
    )


@requires(VIEW)
@require_POST
def point_remove(request, pk):
    point = get_visible_or_404(
        ControlPoint.objects.select_related("plan__board"), request.user, VIEW, pk=pk
    )
    require_manage(request, point.plan.board)
    try:
        services.remove_control_point(point, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The control point was removed."))
    return redirect(point.plan)


@requires(VIEW)
def approve(request, pk):
    plan = visible_plan(request, pk)
    require_manage(request, plan.board)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_plan(plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The board's decision was recorded."))
            return redirect(plan)
    return render(
        request,
        "internal_control/decision_form.html",
        {"form": form, "plan": plan, "subject": plan},
    )


@requires(VIEW)
def reopen(request, pk):
    plan = visible_plan(request, pk)
    require_manage(request, plan.board)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_plan(plan, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan was reopened."))
            return redirect(plan)
    return render(
        request,
        "internal_control/reason_form.html",
        {"form": form, "plan": plan, "subject": plan},
    )


@requires(VIEW)
def overdue(request):
    """Control points past their reporting date without a result (`?mine=1`: the person's)."""
    mine = request.GET.get("mine") == "1"
    rows = list(
        overdue_dates(request.user, mine=mine)
        .select_related("control_point__plan__board", "control_point__responsible")
        .order_by("due_on", "pk")
    )
    return render(
        request,
        "internal_control/overdue.html",
        {"rows": rows, "mine": mine, "may_report": holds(request.user, "internal_control.report")},
    )
