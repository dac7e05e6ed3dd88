"""Retention (gallring): the rules as data, legal holds, and the log of executed runs.

A rule says how long one kind of record is kept, counted from an event (the last entry, the
closing, the creation), for whom (own management or a contracted provider, a legal track),
with its legal reference, and whether the record is deleted or anonymised. Thinning cannot be
undone, so nothing runs by itself until the organisation turns the automatic run on.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet

KEY = "retention.manage"


class Applies(models.TextChoices):
    ANY = "any", _("Everyone")
    OWN = "own", _("Own management (egen regi)")
    PRIVATE = "private", _("Contracted provider (privat utförare)")


class RunsFrom(models.TextChoices):
    LAST_ENTRY = "last_entry", _("The last entry")
    CLOSED = "closed", _("Closing")
    CREATED = "created", _("Creation")


class Thinning(models.TextChoices):
    DELETE = "delete", _("Delete")
    ANONYMISE = "anonymise", _("Anonymise (keep the figures, remove personal data)")


class RetentionRule(models.Model):
    scope_lookup = None
    view_permission = KEY

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    record_type = models.CharField(_("kind of record"), max_length=40)
    applies_to = models.CharField(
        _("applies to"), max_length=10, choices=Applies.choices, default=Applies.ANY
    )
    track_kind = models.CharField(
        _("legal track"),
        max_length=20,
        blank=True,
        help_text=_("Only records with this track; empty for all."),
    )
    runs_from = models.CharField(_("counted from"), max_length=20, choices=RunsFrom.choices)
    years = models.PositiveSmallIntegerField(_("years"), default=0)
    months = models.PositiveSmallIntegerField(_("months"), default=0)
    section = models.ForeignKey(
        "legal.RegulationSection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("legal reference"),
    )
    reference_text = models.CharField(
        _("other reference"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the item of the document management plan (dokumenthanteringsplan)."),
    )
    action = models.CharField(_("what is done"), max_length=10, choices=Thinning.choices)
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveIntegerField(_("order"), default=100)
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_scope_node(self):
        return None

    @property
    def legal_reference(self):
        parts = [str(self.section)] if self.section_id else []
        if self.reference_text:
            parts.append(self.reference_text)
        return "; ".join(parts)

    @property
    def track_kind_label(self):
        from legal.rules import TrackKind

        if self.track_kind in TrackKind.values:
            return TrackKind(self.track_kind).label
        return self.track_kind


class HoldKind(models.TextChoices):
    DEVIATION = "deviation", _("One deviation")
    UNIT = "unit", _("A unit and everything below it")
    ACCESS_LOG = "access_log", _("The whole access log")


class LegalHoldQuerySet(ScopedQuerySet):
    def active(self, today=None):
        today = today or timezone.localdate()
        return self.filter(lifted_at__isnull=True).filter(
            Q(until__isnull=True) | Q(until__gte=today)
        )

    def visible_to(self, user, key=None):
        from accounts.scoping import scope_q

        key = key or KEY
        return self.filter(
            scope_q(user, key, "unit")
            | scope_q(user, key, "deviation__unit")
            | (Q(unit__isnull=True, deviation__isnull=True) & scope_q(user, key, None))
        )


class LegalHold(models.Model):
    """A stop: nothing under it is thinned until the end date or until it is lifted."""

    view_permission = KEY

    kind = models.CharField(_("what is held"), max_length=20, choices=HoldKind.choices)
    deviation = models.ForeignKey(
        "deviations.Deviation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("deviation"),
    )
    unit = models.ForeignKey(
        "organisation.OrgNode",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("unit"),
    )
    reason = models.TextField(_("reason"))
    until = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("set"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.TextField(_("why it was lifted"), blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        if self.deviation_id:
            return f"{self.get_kind_display()}: {self.deviation.reference}"
        if self.unit_id:
            return f"{self.get_kind_display()}: {self.unit.name}"
        return str(self.get_kind_display())

    def get_scope_node(self):
        if self.deviation_id:
            return self.deviation.unit
        return self.unit

    @property
    def is_active(self):
        return self.lifted_at is None and (self.until is None or self.until >= timezone.localdate())


class RetentionRun(models.Model):
    """One executed run: who, when and, per rule, how many records and which."""

    scope_lookup = None
    view_permission = KEY

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("run by"),
    )
    automatic = models.BooleanField(_("automatic"), default=False)
    at = models.DateTimeField(_("when"), default=timezone.now)
    total = models.PositiveIntegerField(_("records thinned"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("retention:run", args=[self.pk])

    def get_scope_node(self):
        return None


class RetentionRunLine(models.Model):
    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="lines")
    rule = models.ForeignKey(RetentionRule, null=True, on_delete=models.SET_NULL, related_name="+")
    # Copied: the log must read the same after the rule is edited.
    rule_name = models.CharField(max_length=200)
    record_type = models.CharField(max_length=40)
    action = models.CharField(max_length=10, choices=Thinning.choices)
    count = models.PositiveIntegerField(default=0)
    references = models.JSONField(default=list)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.rule_name}: {self.count}"


class ThinnedRecord(models.Model):
    """An anonymised record (it stays for the statistics): not to be thinned again."""

    record_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_type", "object_id"], name="thinned_once"),
        ]

    def __str__(self):
        return f"{self.record_type} {self.object_id}"


class RetentionSetting(models.Model):
    """One row: whether the scheduled run thins by itself (off until the organisation decides)."""

    automatic = models.BooleanField(_("thin automatically on schedule"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("retention setting")
        verbose_name_plural = _("retention settings")

    def __str__(self):
        return str(self.automatic)

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls.objects.create()
