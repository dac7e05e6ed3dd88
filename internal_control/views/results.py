"""Recording a control point's result, and the reports to the board."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import get_visible_or_404, requires
from actions.models import Action
from core.forms import ReasonForm, add_service_errors
from internal_control.forms import DecisionForm, ReportCreateForm, ResultForm
from internal_control.models import VIEW, ControlResult, Outcome, ReportingDate, Status
from internal_control.report_figures import plan_rows
from internal_control.services import results as services
from internal_control.services.base import may_manage, may_report
from internal_control.views.common import require_manage, visible_plan, visible_report


@requires(VIEW)
def result(request, pk):
    row = get_visible_or_404(
        ReportingDate.objects.select_related(
            "control_point__plan__board", "control_point__method", "control_point__responsible"
        ),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )
    point = row.control_point
    existing = (
        ControlResult.objects.filter(reporting_date=row).select_related("recorded_by").first()
    )
    reporter = may_report(request.user, point)
    if existing is not None or point.plan.status != Status.APPROVED or not reporter:
        if request.method == "POST" and existing is None and not reporter:
            raise PermissionDenied
        actions = Action.objects.none()
        if existing is not None:
            actions = Action.objects.visible_to(request.user).filter(
                source_type__app_label="internal_control",
                source_type__model="controlresult",
                source_id=existing.pk,
            )
        return render(
            request,
            "internal_control/result_done.html",
            {"row": row, "point": point, "result": existing, "actions": actions},
        )
    form = ResultForm(request.POST or None, user=request.user, point=point)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_result(
                row,
                actor=request.user,
                outcome=data["outcome"],
                comment=data["comment"],
                action=form.action(),
                form_token=data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The result was recorded."))
            return redirect(point.plan)
    return render(
        request,
        "internal_control/result_form.html",
        {"form": form, "row": row, "point": point, "with_remark": Outcome.WITH_REMARK},
    )


@requires(VIEW)
def report_create(request, pk):
    plan = visible_plan(request, pk)
    require_manage(request, plan.board)
    form = ReportCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.create_report(
                plan,
                actor=request.user,
                period=data["period"],
                summary=data["summary"],
                form_token=data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(report)
    return render(
        request,
        "internal_control/report_form.html",
        {"form": form, "plan": plan},
    )


@requires(VIEW)
def report(request, pk):
    report = visible_report(request, pk)
    return render(
        request,
        "internal_control/report.html",
        {
            "report": report,
            "plan": report.plan,
            "rows": plan_rows(report.plan, until=report.ends_on),
            "may_manage": may_manage(request.user, report.plan.board),
            "decision_form": DecisionForm(),
            "reason_form": ReasonForm(),
            "transitions": report.transitions.select_related("actor"),
        },
    )


@requires(VIEW)
def report_approve(request, pk):
    report = visible_report(request, pk)
    require_manage(request, report.plan.board)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_report(report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The board's decision was recorded."))
            return redirect(report)
    return render(
        request,
        "internal_control/decision_form.html",
        {"form": form, "plan": report.plan, "subject": report},
    )


@requires(VIEW)
def report_reopen(request, pk):
    report = visible_report(request, pk)
    require_manage(request, report.plan.board)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_report(report, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The report was reopened."))
            return redirect(report)
    return render(
        request,
        "internal_control/reason_form.html",
        {"form": form, "plan": report.plan, "subject": report},
    )
