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


class LawArea(models.TextChoices):
    """The law areas a unit works under; a case cites the law of its unit's areas."""

    SOL = "sol", _("Social services (SoL)")
    LSS = "lss", _("Support and service (LSS)")
    HEALTH = "hsl", _("Health care (HSL/PSL)")
    GDPR = "gdpr", _("Data protection (GDPR)")


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
    law_area = models.CharField(
        _("law area"),
        max_length=10,
        choices=LawArea.choices,
        blank=True,
        help_text=_(
            "A unit that states this law works in this area, and its cases cite the law of the "
            "area in force on the case's date. Empty for a regulation that applies in every area."
        ),
    )
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
        help_text=_("An unverified section is not cited on cases or in packages until checked."),
    )
    counterpart = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="counterpart_of",
        verbose_name=_("counterpart in the law in force"),
        help_text=_(
            "For a section of a regulation or of a repealed law: the section of the law in force "
            "that corresponds to it, shown next to it."
        ),
    )
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "reference"]

    def __str__(self):
        return f"{self.regulation.short_name or self.regulation.number} {self.reference}"

    @property
    def citation(self):
        """The section as cited: "SoL (2025:400) 27 kap 2–6 §§", "GDPR artikel 33",
        "SOSFS 2011:9 5 kap 4–5 §§". A law's number tells two laws of one name apart."""
        regulation = self.regulation
        if regulation.short_name and regulation.kind in (
            RegulationKind.LAW,
            RegulationKind.ORDINANCE,
        ):
            number = regulation.number.removeprefix("SFS").strip()
            return f"{regulation.short_name} ({number}) {self.reference}"
        return f"{regulation.short_name or regulation.number} {self.reference}"

    def in_force_on(self, day):
        """The section and its law are both in force on `day`."""
        return all(
            (item.valid_from is None or item.valid_from <= day)
            and (item.valid_until is None or item.valid_until >= day)
            for item in (self, self.regulation)
        )

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
