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
