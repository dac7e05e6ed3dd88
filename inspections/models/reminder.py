"""The claim of each reminder about an occasion (inspections/reminders.py): one row per
occasion, kind and person, so a retry sends nothing twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from inspections.models.checklist import VIEW
from notifications.models import ReminderKind


class InspectionReminder(models.Model):
    scope_lookup = "occasion__item__plan__unit"
    view_permission = VIEW

    occasion = models.ForeignKey(
        "inspections.Occasion", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    claimed_at = models.DateTimeField(_("claimed"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder of self-inspection")
        verbose_name_plural = _("reminders of self-inspection")
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "kind", "recipient"], name="inspection_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.occasion} {self.kind} {self.recipient}"

    def get_scope_node(self):
        return self.occasion.item.plan.unit
