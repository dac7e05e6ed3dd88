"""The yearly plan of self-inspection of an org node, its items and their occasions.

A plan item says what is checked (a checklist), by which method, how often, by whom and with
how large a sample; each of its occasions is one due date. An occasion's state is computed:

    planned ──(an execution is completed)──▶ done
    planned ──(the due date passes)───────▶ overdue ──(an execution is completed)──▶ done

`OCCASION_STATES` below is that table; only `services.execution.complete_execution` marks an
occasion done.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from inspections.models.checklist import VIEW

SOON_DAYS = 30


class Frequency(models.TextChoices):
    ONCE = "once", _("Once a year")
    HALF_YEARLY = "half_yearly", _("Twice a year")
    QUARTERLY = "quarterly", _("Every quarter")
    MONTHLY = "monthly", _("Every month")


# How many occasions a year each frequency gives.
OCCASIONS_PER_YEAR = {
    Frequency.ONCE: 1,
    Frequency.HALF_YEARLY: 2,
    Frequency.QUARTERLY: 4,
    Frequency.MONTHLY: 12,
}


class OccasionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OVERDUE = "overdue", _("Overdue")
    DONE = "done", _("Done")


# (from, to, what moves it): the computed life cycle of an occasion.
OCCASION_STATES = {
    (OccasionState.PLANNED, OccasionState.DONE): "completed",
    (OccasionState.PLANNED, OccasionState.OVERDUE): "date passed",
    (OccasionState.OVERDUE, OccasionState.DONE): "completed",
}


class InspectionPlan(models.Model):
    scope_lookup = "unit"
    view_permission = VIEW

    unit = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="inspection_plans",
        verbose_name=_("unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan of self-inspection")
        verbose_name_plural = _("plans of self-inspection")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="inspection_plan_unit_year")
        ]

    def __str__(self):
        return _("Self-inspections %(year)s, %(unit)s") % {"year": self.year, "unit": self.unit}

    def get_absolute_url(self):
        return reverse("inspections:plan", args=[self.pk])

    def get_scope_node(self):
        return self.unit


class PlanItem(models.Model):
    scope_lookup = "plan__unit"
    view_permission = VIEW

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan")
    )
    template = models.ForeignKey(
        "inspections.ChecklistTemplate",
        on_delete=models.PROTECT,
        related_name="plan_items",
        verbose_name=_("checklist"),
    )
    subject = models.CharField(_("what is checked"), max_length=200)
    method = models.ForeignKey(
        "inspections.Method", on_delete=models.PROTECT, related_name="+", verbose_name=_("method")
    )
    frequency = models.CharField(
        _("frequency"), max_length=12, choices=Frequency.choices, default=Frequency.ONCE
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inspection_items",
        verbose_name=_("responsible"),
    )
    sample_size = models.PositiveSmallIntegerField(_("sample size"), null=True, blank=True)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("item of a plan of self-inspection")
        verbose_name_plural = _("items of plans of self-inspection")
        ordering = ["plan", "pk"]

    def __str__(self):
        return self.subject

    def get_scope_node(self):
        return self.plan.unit


class OccasionQuerySet(ScopedQuerySet):
    def not_done(self):
        return self.filter(done_on__isnull=True)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(done_on__isnull=True, due_date__lt=today)

    def due_soon(self, today=None):
        today = today or timezone.localdate()
        return self.filter(
            done_on__isnull=True,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=SOON_DAYS),
        )

    def in_state(self, state, today=None):
        today = today or timezone.localdate()
        if state == OccasionState.DONE:
            return self.filter(done_on__isnull=False)
        if state == OccasionState.OVERDUE:
            return self.overdue(today)
        if state == OccasionState.PLANNED:
            return self.filter(Q(done_on__isnull=True) & Q(due_date__gte=today))
        return self


class Occasion(models.Model):
    """One due date of a plan item."""

    scope_lookup = "item__plan__unit"
    view_permission = VIEW

    item = models.ForeignKey(
        PlanItem, on_delete=models.CASCADE, related_name="occasions", verbose_name=_("plan item")
    )
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = OccasionQuerySet.as_manager()

    class Meta:
        verbose_name = _("occasion of self-inspection")
        verbose_name_plural = _("occasions of self-inspection")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["done_on", "due_date"])]

    def __str__(self):
        return f"{self.item.subject} {self.due_date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("inspections:plan", args=[self.item.plan_id]) + f"#occasion-{self.pk}"

    def get_scope_node(self):
        return self.item.plan.unit

    def state(self, today=None):
        today = today or timezone.localdate()
        if self.done_on:
            return OccasionState.DONE
        if self.due_date < today:
            return OccasionState.OVERDUE
        return OccasionState.PLANNED

    def get_state_display(self):
        return OccasionState(self.state()).label
