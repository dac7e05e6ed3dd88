"""The plans of self-inspection: the list, one plan with its occasions, new plan, new item."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import get_visible_or_404, require, requires
from accounts.scoping import can, holds
from core import versioning
from core.forms import ReasonForm, add_service_errors
from inspections.forms.plan import ItemEditForm, ItemForm, PlanForm
from inspections.models import InspectionPlan, Occasion, PlanItem
from inspections.models.checklist import EXECUTE, MANAGE, VIEW
from inspections.services import plan as services


@requires(VIEW)
def plans(request):
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else today.year
    rows = (
        InspectionPlan.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("unit")
        .annotate(
            occasions=Count("items__occasions"),
            done=Count("items__occasions", filter=Q(items__occasions__done_on__isnull=False)),
            overdue=Count(
                "items__occasions",
                filter=Q(
                    items__occasions__done_on__isnull=True,
                    items__occasions__due_date__lt=today,
                ),
            ),
        )
        .order_by("unit__path")
    )
    return render(
        request,
        "inspections/plans.html",
        {
            "plans": rows,
            "year": year,
            "years": [year - 1, year, year + 1],
            "may_create": holds(request.user, MANAGE),
        },
    )


@requires(MANAGE)
def plan_create(request):
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                year=form.cleaned_data["year"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if plan.just_created:
                messages.success(request, _("The plan was created."))
            return redirect(plan)
    return render(request, "inspections/plan_form.html", {"form": form})


def visible_plan(request, pk):
    return get_visible_or_404(
        InspectionPlan.objects.select_related("unit"), request.user, VIEW, request=request, pk=pk
    )


@requires(VIEW)
def plan_detail(request, pk):
    plan = visible_plan(request, pk)
    today = timezone.localdate()
    items = list(plan.items.select_related("template", "method", "responsible").order_by("pk"))
    occasions = (
        Occasion.objects.filter(item__plan=plan)
        .prefetch_related("executions")
        .order_by("due_date", "pk")
    )
    by_item = {item.pk: [] for item in items}
    for occasion in occasions:
        occasion.current_state = occasion.state(today)
        occasion.form_token = uuid.uuid4()  # one per start button: a double click starts one
        occasion.execution_list = sorted(occasion.executions.all(), key=lambda e: e.pk)
        occasion.has_draft = any(e.is_draft for e in occasion.execution_list)
        by_item[occasion.item_id].append(occasion)
    for item in items:
        item.occasion_list = by_item[item.pk]
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "items": items,
            "may_manage": can(request.user, MANAGE, plan),
            "may_execute": can(request.user, EXECUTE, plan) or can(request.user, MANAGE, plan),
            "today": today,
        },
    )


@requires(MANAGE)
def item_add(request, pk):
    plan = visible_plan(request, pk)
    require(request.user, MANAGE, plan)
    form = ItemForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.add_item(
                plan,
                actor=request.user,
                template=data["template"],
                responsible=data["responsible"],
                first_due=data["first_due"],
                subject=data["subject"],
                method=data["method"],
                frequency=data["frequency"],
                sample_size=data["sample_size"],
                form_token=data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if item.just_created:
                messages.success(request, _("The self-inspection was added to the plan."))
            return redirect(plan)
    return render(request, "inspections/item_form.html", {"form": form, "plan": plan})


def _item_form(item, data=None):
    initial = {
        "subject": item.subject,
        "responsible": item.responsible_id,
        "sample_size": item.sample_size,
    }
    return ItemEditForm(data, initial=initial, item=item)


@requires(MANAGE)
def item_edit(request, pk):
    item = get_visible_or_404(
        PlanItem.objects.select_related("plan__unit", "responsible", "template"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )
    require(request.user, MANAGE, item)
    form = versioning.stamp(_item_form(item, request.POST or None))
    if request.method == "POST" and form.is_valid():
        stored = PlanItem.objects.select_for_update(of=("self",)).select_related("plan__unit")
        try:
            with versioning.guard(form, lambda: _item_form(stored.get(pk=item.pk))):
                services.update_item(
                    item,
                    actor=request.user,
                    **{name: form.cleaned_data[name] for name in services.ITEM_FIELDS},
                )
        except ValidationError as error:
            add_service_errors(form, error)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The self-inspection in the plan was changed."))
            return redirect(item.plan)
    return render(
        request,
        "inspections/item_edit.html",
        {"form": form, "item": item, "plan": item.plan},
        status=versioning.status(form),
    )


@requires(MANAGE)
def item_remove(request, pk):
    """Take a self-inspection off the plan, with the reason, after saying what goes."""
    item = get_visible_or_404(
        PlanItem.objects.select_related("plan__unit", "template"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )
    require(request.user, MANAGE, item)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            removed = services.remove_item(
                item, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s occasion was taken off the plan.",
                    "%(count)s occasions were taken off the plan.",
                    removed,
                )
                % {"count": removed},
            )
            return redirect(item.plan)
    occasions = item.occasions.annotate(begun=Count("executions"))
    kept = [o for o in occasions if o.done_on or o.begun]
    return render(
        request,
        "inspections/item_remove.html",
        {
            "form": form,
            "item": item,
            "plan": item.plan,
            "going": len(occasions) - len(kept),
            "kept": kept,
        },
    )
