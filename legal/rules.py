"""Rule tables: the legal tracks a deviation can take and the clocks that run on them.

Everything a law or a local policy decides — wording, references, who may read an
investigation, deadlines and what starts them — is a row here, seeded from
legal/data/rules.json and edited by an administrator, so a change of law is an edit of data.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet


class TrackKind(models.TextChoices):
    """The tracks a report can be triaged into (DESIGN glossary)."""

    LEX_SARAH = "lex_sarah", _("Lex Sarah")
    LEX_MARIA = "lex_maria", _("Lex Maria")
    DATA_BREACH = "data_breach", _("Personal data breach")
    OTHER = "other", _("Other deviation")
    NOT_DEVIATION = "not_deviation", _("Not a deviation")


class ValidQuerySet(ScopedQuerySet):
    def in_force(self, on=None):
        day = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day),
        )


class TrackRule(models.Model):
    """What the law says about one track, shown when classifying and investigating."""

    scope_lookup = None
    view_permission = "legal.view"

    kind = models.CharField(_("track"), max_length=20, choices=TrackKind.choices)
    name = models.CharField(_("name"), max_length=120)
    definition = models.TextField(
        _("definition"), help_text=_("The legal definition shown when classifying a report.")
    )
    guidance = models.TextField(_("guidance"), blank=True)
    sections = models.ManyToManyField(
        "legal.RegulationSection",
        blank=True,
        related_name="track_rules",
        verbose_name=_("legal references"),
    )
    authority = models.CharField(
        _("supervisory authority"),
        max_length=20,
        blank=True,
        help_text=_("IVO or IMY where the track may lead to a notification."),
    )
    restricted = models.BooleanField(
        _("investigation restricted"),
        default=False,
        help_text=_("Only assigned investigators and the roles below read the investigation."),
    )
    reader_roles = models.ManyToManyField(
        "accounts.Role",
        blank=True,
        related_name="readable_tracks",
        verbose_name=_("roles that read restricted investigations"),
    )
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_until = models.DateField(_("in force until"), null=True, blank=True)

    objects = ValidQuerySet.as_manager()

    class Meta:
        verbose_name = _("track rule")
        verbose_name_plural = _("track rules")
        ordering = ["kind", "-valid_from"]

    def __str__(self):
        return self.name

    def get_scope_node(self):
        return None


class ClockStart(models.TextChoices):
    REPORTED = "reported", _("when the report was made")
    TRIAGED = "triaged", _("when the report was classified into the track")
    AWARE = "aware", _("when the organisation became aware")
    INVESTIGATION_STARTED = "investigation_started", _("when the investigation started")
    SERIOUS_DECIDED = "serious_decided", _("when the case was judged serious")


class ClockEnd(models.TextChoices):
    TRIAGED = "triaged", _("when the report is classified")
    INVESTIGATION_STARTED = "investigation_started", _("when the investigation starts")
    NOTIFIED = "notified", _("when the authority is notified")
    PEOPLE_INFORMED = "people_informed", _("when the people concerned are informed")
    CLOSED = "closed", _("when the track is closed")


class ClockUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    WORKING_DAYS = "working_days", _("working days")


class DeadlineRule(models.Model):
    """One clock on a track: legal (a number the law sets) or a local target for 'snarast'."""

    scope_lookup = None
    view_permission = "legal.view"

    code = models.SlugField(_("code"), max_length=60)
    track = models.CharField(
        _("track"),
        max_length=20,
        choices=TrackKind.choices,
        blank=True,
        help_text=_("Empty: the clock runs on the report itself, before triage."),
    )
    name = models.CharField(_("name"), max_length=160)
    legal_wording = models.CharField(
        _("wording of the law"),
        max_length=255,
        blank=True,
        help_text=_("E.g. 'snarast' or 'utan dröjsmål' where the law sets no number."),
    )
    is_law = models.BooleanField(
        _("set by law"),
        default=False,
        help_text=_("Unticked: a local target set by the organisation, shown as local policy."),
    )
    starts = models.CharField(_("starts"), max_length=30, choices=ClockStart.choices)
    ends = models.CharField(_("stops"), max_length=30, choices=ClockEnd.choices)
    only_when_serious = models.BooleanField(
        _("only when serious"),
        default=False,
        help_text=_(
            "Runs only once the case is judged serious (allvarligt missförhållande, "
            "allvarlig vårdskada, or a high risk to the people a breach concerns)."
        ),
    )
    amount = models.PositiveIntegerField(_("length"))
    unit = models.CharField(_("unit"), max_length=20, choices=ClockUnit.choices)
    section = models.ForeignKey(
        "legal.RegulationSection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadline_rules",
        verbose_name=_("legal reference"),
    )
    remind_before_hours = models.PositiveIntegerField(
        _("first reminder, hours before the deadline"), default=24
    )
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_until = models.DateField(_("in force until"), null=True, blank=True)

    objects = ValidQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["track", "code", "-valid_from"]

    def __str__(self):
        return self.name

    def get_scope_node(self):
        return None


class Holiday(models.Model):
    """A day off set by an organisation: working-day clocks skip it."""

    scope_lookup = "organisation"
    view_permission = "organisation.view"

    organisation = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.CASCADE,
        related_name="holidays",
        verbose_name=_("organisation"),
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=80)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="unique_holiday"),
        ]

    def __str__(self):
        return f"{self.date} {self.name}"

    def get_scope_node(self):
        return self.organisation
