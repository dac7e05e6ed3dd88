"""A search for every record about one person (GDPR article 15, registerutdrag).

The search is kept so that its result and extract can be opened again, and so that the access
log can say who looked for whom: the term is encrypted like the protected identity, and its
keyed hash lets a log review find every search for the same person without reading the term.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import holds
from core.crypto import EncryptedTextField

KEY = "privacy.subject_access"


class SearchKind(models.TextChoices):
    PERSONAL_NUMBER = "pin", _("Personal identity number")
    NAME = "name", _("Name")


class SubjectAccessSearchQuerySet(models.QuerySet):
    def visible_to(self, user, key=None):
        """Only the person who searched opens a search, and only while holding the key."""
        if not user.is_authenticated or not holds(user, KEY):
            return self.none()
        return self.filter(created_by=user)


class SubjectAccessSearch(models.Model):
    scope_lookup = None
    view_permission = KEY
    # Opening a search shows data about a named person: every read is logged.
    sensitive = True

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("searched by"),
    )
    created_at = models.DateTimeField(_("searched"), default=timezone.now)
    kind = models.CharField(_("searched by"), max_length=10, choices=SearchKind.choices)
    term = EncryptedTextField(_("search term"), max_length=200)
    term_hash = models.CharField(max_length=64, db_index=True, editable=False)
    result_count = models.PositiveIntegerField(_("records found"), default=0)
    exported_at = models.DateTimeField(_("last extract"), null=True, blank=True)

    objects = SubjectAccessSearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("register extract search")
        verbose_name_plural = _("register extract searches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        # Never the term: this text is written to the access log.
        return _("Register extract %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return reverse("privacy:result", args=[self.pk])
