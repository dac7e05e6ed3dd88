"""The process register (4 kap 2–6 §§): processes, their ordered activities and collaboration.

A process belongs to an org level (the organisation, a department or a unit) and is made of
activities in order; each activity names the routines that govern it and who is responsible.
For collaboration (samverkan, 4 kap 5–6 §§) a process lists its partners, the agreements and
the routine that says how the collaboration is done. Coverage (processes/coverage.py) reads
these together with the routines' state.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import InheritedScopeQuerySet, ScopedQuerySet

VIEW = "processes.view"
MANAGE = "processes.manage"


class Process(models.Model):
    scope_lookup = "unit"
    view_permission = VIEW

    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(
        _("purpose"), help_text=_("What value the process creates, for whom.")
    )
    unit = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="processes",
        verbose_name=_("level"),
        help_text=_("The part of the organisation whose process this is."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_processes",
        verbose_name=_("process owner"),
    )
    services = models.ManyToManyField(
        "organisation.Service",
        blank=True,
        related_name="processes",
        verbose_name=_("services"),
    )
    legal_sections = models.ManyToManyField(
        "legal.RegulationSection",
        blank=True,
        related_name="processes",
        verbose_name=_("legal references"),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = InheritedScopeQuerySet.as_manager()

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("processes:detail", args=[self.pk])

    def get_scope_node(self):
        return self.unit


class Activity(models.Model):
    scope_lookup = "process__unit"
    view_permission = VIEW

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="activities", verbose_name=_("process")
    )
    position = models.PositiveIntegerField(_("step"))
    name = models.CharField(_("activity"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible_role = models.ForeignKey(
        "accounts.Role",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible role"),
    )
    responsible_note = models.CharField(
        _("responsible (other)"),
        max_length=200,
        blank=True,
        help_text=_("When no role fits, e.g. a named function or a partner."),
    )
    routines = models.ManyToManyField(
        "routines.Routine",
        blank=True,
        related_name="activities",
        verbose_name=_("governing routines"),
    )
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["process", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "position"],
                name="unique_activity_position",
                deferrable=models.Deferrable.DEFERRED,
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.name}"

    def get_scope_node(self):
        return self.process.unit


class PartnerKind(models.TextChoices):
    INTERNAL = "internal", _("Unit within the organisation")
    REGION = "region", _("Region (health care)")
    SCHOOL = "school", _("School")
    POLICE = "police", _("Police")
    SOCIAL_INSURANCE = "social_insurance", _("Försäkringskassan")
    EMPLOYMENT = "employment", _("Arbetsförmedlingen")
    ASSOCIATION = "association", _("Association or non-profit organisation")
    OTHER_MUNICIPALITY = "other_municipality", _("Another municipality")
    OTHER = "other", _("Other")


class Collaboration(models.Model):
    """A partner of a process, the agreement with it, and the routine for working together."""

    scope_lookup = "process__unit"
    view_permission = VIEW

    process = models.ForeignKey(
        Process,
        on_delete=models.CASCADE,
        related_name="collaborations",
        verbose_name=_("process"),
    )
    kind = models.CharField(_("kind of partner"), max_length=30, choices=PartnerKind.choices)
    partner = models.CharField(_("partner"), max_length=200)
    internal_unit = models.ForeignKey(
        "organisation.OrgNode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    purpose = models.TextField(_("what the collaboration is about"), blank=True)
    agreement = models.CharField(
        _("collaboration agreement"),
        max_length=200,
        blank=True,
        help_text=_("Name or registry number of the written agreement, if there is one."),
    )
    agreement_valid_until = models.DateField(_("agreement valid until"), null=True, blank=True)
    routine = models.ForeignKey(
        "routines.Routine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collaborations",
        verbose_name=_("collaboration routine"),
        help_text=_("The routine that says how the collaboration is done."),
    )
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        ordering = ["process", "partner", "pk"]

    def __str__(self):
        return self.partner

    def get_scope_node(self):
        return self.process.unit
