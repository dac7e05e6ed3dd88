"""Yearly plans of self-inspection, their items and occasions (due dates)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record_event
from core.once import earlier_send, save_once
from inspections.models import Execution, InspectionPlan, Occasion, PlanItem
from inspections.models.checklist import EXECUTE, MANAGE
from inspections.models.plan import OCCASIONS_PER_YEAR, Frequency
from inspections.services.common import check_usable, clean_text, person, require_manage


def responsible_candidates(unit):
    """Active people who may carry out self-inspections at the unit."""

    rows = User.objects.filter(
        is_active=True,
        assignments__role__permissions__key__in=[EXECUTE, MANAGE],
        assignments__node__is_active=True,
    )
    ids = set()
    for user_id, path, subtree, node_id in rows.values_list(
        "pk", "assignments__node__path", "assignments__include_subtree", "assignments__node_id"
    ):
        if node_id == unit.pk or (subtree and unit.path.startswith(path)):
            ids.add(user_id)
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")


def due_dates(year, frequency, first_due):
    """The due dates of a year: `first_due`, then every 12/n months after it, within the year."""
    count = OCCASIONS_PER_YEAR[Frequency(frequency)]
    step = 12 // count
    dates = []
    for i in range(count):
        month = first_due.month + i * step
        if month > 12:
            break
        day = min(first_due.day, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
        dates.append(datetime.date(year, month, day))
    return dates


@transaction.atomic
def create_plan(*, actor, unit, year, note=""):
    """The plan of `unit` for `year`; the existing one if it is there already."""
    require_manage(actor, unit)
    if not unit.is_active:
        raise ValidationError({"unit": _("This unit is closed.")}, code="closed")
    existing = InspectionPlan.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        existing.just_created = False
        return existing
    try:
        with transaction.atomic():
            plan = InspectionPlan.objects.create(
                unit=unit, year=year, note=(note or "").strip(), created_by=person(actor)
            )
    except IntegrityError:
        plan = InspectionPlan.objects.get(unit=unit, year=year)
        plan.just_created = False
        return plan
    plan.just_created = True
    record_event(plan, "inspections.plan_created", actor, year=year, unit=unit.name)
    return plan


@transaction.atomic
def add_item(
    plan,
    *,
    actor,
    template,
    responsible,
    first_due,
    subject="",
    method=None,
    frequency=Frequency.ONCE,
    sample_size=None,
    form_token=None,
):
    """Add what is checked to the plan; its occasions are the due dates of the year."""
    existing = earlier_send(PlanItem, form_token)
    if existing is not None:
        return existing
    plan = (
        InspectionPlan.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=plan.pk)
    )
    require_manage(actor, plan)
    check_usable(template, plan.unit)
    errors = {}
    if first_due is None or first_due.year != plan.year:
        errors["first_due"] = _("The first due date must fall within the plan's year.")
    if not responsible_candidates(plan.unit).filter(pk=responsible.pk).exists():
        errors["responsible"] = _("Choose someone who carries out self-inspections at the unit.")
    if sample_size is not None and sample_size < 1:
        errors["sample_size"] = _("A sample has at least one record.")
    if errors:
        raise ValidationError(errors)
    method = method or template.method
    if method.draws_sample and not sample_size:
        raise ValidationError(
            {"sample_size": _("A record review needs the number of records to draw.")},
            code="required",
        )
    item = PlanItem(
        plan=plan,
        template=template,
        subject=clean_text(subject) or template.title,
        method=method,
        frequency=frequency,
        responsible=responsible,
        sample_size=sample_size,
        form_token=form_token,
    )
    item = save_once(item, form_token)
    if not item.just_created:
        return item
    Occasion.objects.bulk_create(
        [Occasion(item=item, due_date=d) for d in due_dates(plan.year, frequency, first_due)]
    )
    record_event(
        plan,
        "inspections.item_added",
        actor,
        subject=item.subject,
        responsible=responsible,
        frequency=item.get_frequency_display(),
    )
    return item


ITEM_FIELDS = ("subject", "responsible", "sample_size")


@transaction.atomic
def update_item(item, *, actor, subject, responsible, sample_size):
    """Change what a plan item is called, who is responsible and the sample size. Returns the
    names of the fields changed (none: nothing written)."""
    locked = (
        PlanItem.objects.select_for_update(of=("self",))
        .select_related("plan__unit", "method", "template")
        .get(pk=item.pk)
    )
    require_manage(actor, locked)
    errors = {}
    if not responsible_candidates(locked.plan.unit).filter(pk=responsible.pk).exists():
        errors["responsible"] = _("Choose someone who carries out self-inspections at the unit.")
    if locked.method.draws_sample and not sample_size:
        errors["sample_size"] = _("A record review needs the number of records to draw.")
    if errors:
        raise ValidationError(errors)
    values = {
        "subject": clean_text(subject) or locked.template.title,
        "responsible": responsible,
        "sample_size": sample_size,
    }
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(locked, name, values[name])
    locked.save(update_fields=changed)
    record_event(
        locked.plan,
        "inspections.item_changed",
        actor,
        subject=locked.subject,
        responsible=locked.responsible,
    )
    for name in changed:
        setattr(item, name, getattr(locked, name))
    return changed


@transaction.atomic
def remove_item(item, *, actor, reason):
    """Take a self-inspection off the plan: its occasions not begun go (and with them their
    reminders and their place among the planned); those begun or done stay, and so does the item
    while it has any. Returns how many occasions went."""
    locked = (
        PlanItem.objects.select_for_update(of=("self",))
        .select_related("plan__unit")
        .get(pk=item.pk)
    )
    require_manage(actor, locked)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the self-inspection is taken off the plan.")}, code="required"
        )
    begun = Execution.objects.filter(occasion__item=locked).values("occasion_id")
    left = locked.occasions.filter(done_on__isnull=True).exclude(pk__in=begun)
    removed = len(left.values_list("pk", flat=True))
    left.delete()
    record_event(
        locked.plan, "inspections.item_removed", actor, subject=locked.subject, reason=reason
    )
    if not locked.occasions.exists():
        locked.delete()
    return removed
