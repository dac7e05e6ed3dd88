from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet


class RegulationKind(models.TextChoices):
    LAW = "law", _("Law (SFS)")
    ORDINANCE = "ordinance", _("Ordinance (SFS)")
    REGULATION = "regulation", _("Regulation and general advice (SOSFS/HSLF-FS)")
    EU = "eu", _("EU regulation")


class RegulationQuerySet(ScopedQuerySet):
    def in_force(self, on=None):
        day = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day),
        )


class Regulation(models.Model):
    """A law or regulation in the register. Org-independent: one register for all."""

    scope_lookup = None
    view_permission = "legal.view"

    code = models.SlugField(_("code"), max_length=60, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=255)
    number = models.CharField(
        _("number"), max_length=40, help_text=_("E.g. SFS 2001:453, SOSFS 2011:9, HSLF-FS 2017:41.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RegulationKind.choices)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = RegulationQuerySet.as_manager()

    class Meta:
        verbose_name = _("law or regulation")
        verbose_name_plural = _("laws and regulations")
        ordering = ["kind", "name"]

    def __str__(self):
        return f"{self.name} ({self.number})"

    def get_scope_node(self):
        return None

    @property
    def in_force_today(self):
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_until is None or self.valid_until >= today
        )


class RegulationSection(models.Model):
    """A section we refer to ("14 kap 2–7 §§"), with its own validity and verification state."""

    regulation = models.ForeignKey(
        Regulation,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("law or regulation"),
    )
    reference = models.CharField(_("reference"), max_length=80)
    topic = models.CharField(_("topic"), max_length=255)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    verified = models.BooleanField(
        _("verified"),
        default=True,
        help_text=_("Unverified references are shown with a warning until checked."),
    )
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "reference"]

    def __str__(self):
        return f"{self.regulation.short_name or self.regulation.number} {self.reference}"

    def get_scope_node(self):
        return None


class Applicability(models.Model):
    """A unit's statement that a law or regulation applies to it (seed 004, focus area 2)."""

    scope_lookup = "node"
    view_permission = "legal.view"

    node = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.CASCADE,
        related_name="applicable_regulations",
        verbose_name=_("organisation unit"),
    )
    regulation = models.ForeignKey(
        Regulation,
        on_delete=models.PROTECT,
        related_name="applicabilities",
        verbose_name=_("law or regulation"),
    )
    comment = models.CharField(_("comment"), max_length=255, blank=True)
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("stated by"),
    )
    stated_at = models.DateTimeField(_("stated"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("applicable law")
        verbose_name_plural = _("applicable laws")
        ordering = ["regulation__kind", "regulation__name"]
        constraints = [
            models.UniqueConstraint(fields=["node", "regulation"], name="unique_applicability"),
        ]

    def __str__(self):
        return f"{self.node}: {self.regulation}"

    def get_scope_node(self):
        return self.node


from legal.rules import DeadlineRule, Holiday, TrackRule  # noqa: E402, F401  (one app, two modules)
