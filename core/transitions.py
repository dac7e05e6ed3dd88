"""The record of one change of state, which every life cycle keeps.

A service function that moves a record from one state to another (by its transition table)
writes one row of its app's transition model in the same transaction, beside the audit entry:
the record's own history, read on its page, where the audit log is the organisation's. The
apps add the foreign key to their record and the two state fields with their own choices.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Transition(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
