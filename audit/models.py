from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """A readable domain event ("Rutin fastställd av …"), rendered from its verb at display."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    verb = models.CharField(_("event"), max_length=80)
    params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return self.message

    @property
    def message(self):
        from audit.verbs import render

        return render(self)


class AccessLog(models.Model):
    """One read of a record marked sensitive (loggkontroll)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("person"),
    )
    user_repr = models.CharField(_("person"), max_length=200)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("kind of record")
    )
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    path = models.CharField(_("address"), max_length=400, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # The unit the record belongs to, kept so loggkontroll can see reads outside a person's
    # usual units even after the record has moved or been thinned.
    unit = models.ForeignKey(
        "organisation.OrgNode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit"),
    )
    # A refused attempt: the person asked for the record and was answered 403 or 404.
    denied = models.BooleanField(_("refused"), default=False)

    class Meta:
        verbose_name = _("read of a sensitive record")
        verbose_name_plural = _("reads of sensitive records")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-at"]),
            models.Index(fields=["content_type", "object_id", "-at"]),
        ]

    def __str__(self):
        return f"{self.user_repr} – {self.object_repr}"


class ReviewState(models.TextChoices):
    OPEN = "open", _("To be reviewed")
    REVIEWED = "reviewed", _("Reviewed")


class AccessReviewQuerySet(models.QuerySet):
    def visible_to(self, user, key=None):
        """Samples are organisation-wide: read by the holders of the loggkontroll key."""
        from accounts.scoping import holds

        return self.all() if holds(user, key or "audit.review_access_log") else self.none()


class AccessReview(models.Model):
    """A sample of reads of sensitive records drawn for loggkontroll, and its review."""

    # Who read what is for the log reviewers alone: the admin's change log keeps it from others.
    need_to_know = True

    period_from = models.DateField(_("from date"))
    period_to = models.DateField(_("to date"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("person"),
    )
    person_repr = models.CharField(_("person"), max_length=200, blank=True)
    entries = models.ManyToManyField(AccessLog, related_name="reviews", verbose_name=_("reads"))
    state = models.CharField(
        _("state"), max_length=20, choices=ReviewState.choices, default=ReviewState.OPEN
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = AccessReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("log review sample")
        verbose_name_plural = _("log review samples")
        ordering = ["-drawn_at", "-pk"]

    def __str__(self):
        return f"{self.period_from:%Y-%m-%d}–{self.period_to:%Y-%m-%d}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("audit:review_detail", args=[self.pk])
