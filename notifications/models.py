"""Reminders about clocks: one row per clock, kind and person, claimed before anything is sent.

The unique constraint is the claim: whoever inserts the row first sends the e-mail; a retry or a
second worker at the same moment gets an IntegrityError and sends nothing.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    DUE = "due", _("At the deadline")
    ESCALATION = "escalation", _("Overdue, to the next manager up")


class Reminder(models.Model):
    scope_lookup = "clock__deviation__unit"
    view_permission = "deviations.view"

    clock = models.ForeignKey(
        "deviations.Clock",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("clock"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sent_at = models.DateTimeField(
        _("sent"),
        null=True,
        blank=True,
        help_text=_("When the e-mail was handed to the mail queue; empty without an address."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock", "kind", "recipient"], name="one_reminder_per_clock_kind_person"
            ),
        ]

    def __str__(self):
        return f"{self.clock_id} {self.kind} → {self.recipient_id}"

    def get_scope_node(self):
        return self.clock.deviation.unit


# -- new reports: each person's choice, and the daily digest's claim ---------------------------


class ArrivalChoice(models.TextChoices):
    """When a person who classifies reports hears of a new one (notifications/arrivals.py)."""

    SERIOUS = "serious", _("Only suspected serious reports, at once")
    DIGEST = "digest", _("Suspected serious reports at once, the others in a daily summary")
    EVERY = "every", _("Every new report, at once")


class ArrivalSetting(models.Model):
    """A person's choice; without a row the default (ArrivalChoice.SERIOUS) holds."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="arrival_setting",
        verbose_name=_("person"),
    )
    choice = models.CharField(
        _("e-mail about new reports"),
        max_length=10,
        choices=ArrivalChoice.choices,
        default=ArrivalChoice.SERIOUS,
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail setting for new reports")
        verbose_name_plural = _("e-mail settings for new reports")

    def __str__(self):
        return f"{self.user_id}: {self.choice}"


class DigestClaim(models.Model):
    """One daily summary per person and day, claimed before it is sent: the unique constraint
    makes a retry or an overlapping run send nothing. It covers the reports filed after `since`
    up to `until`; the next summary starts at `until`."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_claims",
        verbose_name=_("recipient"),
    )
    day = models.DateField(_("day"))
    since = models.DateTimeField(_("from"))
    until = models.DateTimeField(_("up to"))
    count = models.PositiveIntegerField(_("reports"), default=0)
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("daily summary")
        verbose_name_plural = _("daily summaries")
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_per_person_day"),
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.day}"
