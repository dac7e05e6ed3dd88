"""The investigation of one track: what happened, why at system level, and the decision.

Kept apart from the report so that a restricted track's investigation has its own reader
check (Track.objects.readable_by), whoever may read the report itself.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Cause(models.Model):
    """A cause at system level, from an editable catalogue."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("cause")
        verbose_name_plural = _("causes")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Investigation(models.Model):
    track = models.OneToOneField(
        "deviations.Track",
        on_delete=models.CASCADE,
        related_name="investigation",
        verbose_name=_("track"),
    )
    participants = models.TextField(
        _("participants"),
        blank=True,
        help_text=_("Who took part in the investigation: names and roles."),
    )
    causes = models.ManyToManyField(
        Cause, blank=True, related_name="investigations", verbose_name=_("causes at system level")
    )
    cause_analysis = models.TextField(
        _("why it happened"),
        blank=True,
        help_text=_(
            "The causes at system level: routines, organisation, competence, "
            "communication. Not who is to blame."
        ),
    )
    person_informed_on = models.DateField(
        _("the person concerned was informed on"), null=True, blank=True
    )
    person_heard_on = models.DateField(
        _("the person concerned could give their view on"), null=True, blank=True
    )
    person_view = models.TextField(_("the person's view"), blank=True)
    not_informed_reason = models.TextField(
        _("why the person was not informed"),
        blank=True,
        help_text=_("E.g. no identifiable person was affected."),
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    no_action_reason = models.TextField(
        _("why no action is needed"),
        blank=True,
        help_text=_("Instead of an action: the reason nothing needs to change."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")

    def __str__(self):
        return str(self.track)

    def get_scope_node(self):
        return self.track.deviation.unit


class TimelineEntry(models.Model):
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="timeline"
    )
    at = models.DateTimeField(_("when"))
    text = models.TextField(_("what happened"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.text[:40]}"
