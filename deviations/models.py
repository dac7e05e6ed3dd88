"""A deviation report (avvikelse), the legal tracks it is triaged into, and their clocks."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet, role_grants, scope_q
from core.crypto import EncryptedTextField, identity_digests

# The models of the sub-packages, imported here so that Django registers them with the app. They
# name this module's models by string ("deviations.Track") and import nothing from it.
from deviations.authority import models as authority_models  # noqa: F401
from deviations.investigation import models as investigation_models  # noqa: F401
from legal.rules import DeadlineRule, TrackKind, TrackRule


class Affected(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Don't know")


class ReferenceSequence(models.Model):
    """The last reference number used per year: AV-2026-000415 is the year's 415th report."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class EventCategory(models.Model):
    """What kind of event a report was (fall, medication, …): an editable catalogue. The shipped
    rows (no node) apply to every organisation; an organisation or provider adds its own on its
    node, and they apply in that node's subtree. `law_areas` narrows a category to units working
    under those areas (legal.models.LawArea values); empty means every area."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("A short explanation shown to the person reporting."),
    )
    order = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)
    law_areas = models.JSONField(
        _("law areas"),
        default=list,
        blank=True,
        help_text=_("The law areas where the category is offered; none means all."),
    )
    node = models.ForeignKey(
        "organisation.OrgNode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_categories",
        verbose_name=_("organisation or unit"),
        help_text=_("Empty: every organisation. Set: only in that part of the tree."),
    )

    class Meta:
        verbose_name = _("kind of event")
        verbose_name_plural = _("kinds of event")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class DeviationStatus(models.TextChoices):
    REPORTED = "reported", _("Reported, awaiting classification")
    TRIAGED = "triaged", _("Being handled")
    CLOSED = "closed", _("Closed")


class DeviationQuerySet(ScopedQuerySet):
    def reported_by(self, user):
        return self.filter(reported_by=user) if user.is_authenticated else self.none()


class Deviation(models.Model):
    scope_lookup = "unit"
    view_permission = "deviations.view"
    sensitive = True

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    unit = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="deviations",
        verbose_name=_("unit"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="reported_deviations",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now, db_index=True)
    aware_at = models.DateTimeField(
        _("organisation aware"),
        default=timezone.now,
        help_text=_(
            "When the organisation became aware: the 72-hour clock of a breach starts here."
        ),
    )
    occurred_at = models.DateTimeField(_("when it happened"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    description = models.TextField(_("what happened"))
    immediate_action = models.TextField(_("what was done at once"))
    service_user_affected = models.CharField(
        _("was a service user affected?"), max_length=10, choices=Affected.choices
    )
    category = models.ForeignKey(
        EventCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deviations",
        verbose_name=_("kind of event"),
    )
    # Encrypted at rest; found by exact search through the keyed hashes beside it (privacy).
    affected_person = EncryptedTextField(
        _("who was affected (protected)"),
        max_length=200,
        blank=True,
        help_text=_("Name or personal identity number. Only the people handling the case see it."),
    )
    affected_person_pin_hash = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )
    affected_person_name_hash = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )
    hint_lex_sarah = models.BooleanField(
        _("I think this is a missförhållande (lex Sarah)"), default=False
    )
    hint_health_care = models.BooleanField(_("Health care was involved"), default=False)
    hint_data_breach = models.BooleanField(_("Personal data was exposed"), default=False)
    work_environment = models.BooleanField(
        _("work environment"),
        default=False,
        help_text=_("Also a work-environment matter: forwarded to the work-environment process."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeviationStatus.choices,
        default=DeviationStatus.REPORTED,
        db_index=True,
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    submission_key = models.UUIDField(unique=True, null=True, editable=False)

    objects = DeviationQuerySet.as_manager()

    class Meta:
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")
        ordering = ["-reported_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "-reported_at"]),
            models.Index(fields=["status", "-reported_at"]),
            # The statistics count reports per kind of event and year.
            models.Index(fields=["category", "reported_at"], name="deviation_category_time"),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        self.affected_person_pin_hash, self.affected_person_name_hash = identity_digests(
            self.affected_person
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "affected_person" in update_fields:
            kwargs["update_fields"] = {
                *update_fields,
                "affected_person_pin_hash",
                "affected_person_name_hash",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("deviations:detail", args=[self.pk])

    def get_scope_node(self):
        return self.unit

    # The history tells the report's creation by this event, not by a list of its fields.
    history_created_verb = "deviations.reported"

    def history_event_filter(self, user):
        """Keep the events about restricted tracks (a judgement, an investigation saved) from
        those who may not read the track: the audit history calls this per reader."""
        tracks = list(self.tracks.values_list("pk", "kind"))
        readable = set(
            Track.objects.readable_by(user).filter(deviation=self).values_list("pk", flat=True)
        )
        hidden = [(pk, kind) for pk, kind in tracks if pk not in readable]
        hidden_ids = {str(pk) for pk, _kind in hidden}
        hidden_labels = track_labels(kind for _pk, kind in hidden)

        def keep(event):
            if event.verb not in TRACK_DETAIL_VERBS:
                return True
            if "track_id" in event.params:
                return event.params["track_id"] not in hidden_ids
            # Events from before the id was recorded name the track in the language of the day.
            return event.params.get("track") not in hidden_labels

        return keep


# Events about a track's investigation: shown only to those who may read the track.
TRACK_DETAIL_VERBS = ("deviations.serious_decided", "deviations.investigation_saved")


def track_labels(kinds):
    """The names, in every interface language, of these kinds of track."""
    kinds = {k for k in kinds if k != TrackKind.NOT_DEVIATION}
    labels = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels.update(str(TrackKind(kind).label) for kind in kinds)
    return labels


class TrackState(models.TextChoices):
    OPEN = "open", _("Classified, not yet investigated")
    INVESTIGATING = "investigating", _("Under investigation")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


# (action, from, to): the only ways a track may move; services check every change against it.
TRACK_TRANSITIONS = {
    "start_investigation": (TrackState.OPEN, TrackState.INVESTIGATING),
    "decide": (TrackState.INVESTIGATING, TrackState.DECIDED),
    "close": (TrackState.DECIDED, TrackState.CLOSED),
    "reopen": (TrackState.CLOSED, TrackState.INVESTIGATING),
}


class TrackQuerySet(ScopedQuerySet):
    def visible_to(self, user, key=None):
        """Tracks of reports in scope; a restricted track's details only for its readers."""
        return self.filter(scope_q(user, key or "deviations.view", "deviation__unit"))

    def _readable_q(self, user):
        """In scope, and either not restricted or read by a role or as an investigator."""
        # A page asks this several times (the tracks, the history, the actions): the rules and
        # the person's reader roles are read once per request, kept where the grants are kept
        # (on the user object, forgotten with them by accounts.scoping.forget_grants).
        cached = user.__dict__.get("_hjulet_track_readers")
        if cached is None:
            cached = user.__dict__["_hjulet_track_readers"] = self._reader_q(user)
        return scope_q(user, "deviations.view", "deviation__unit") & cached

    def _reader_q(self, user):
        restricted = {
            r.kind: r
            for r in TrackRule.objects.in_force()
            .filter(restricted=True)
            .prefetch_related("reader_roles")
        }
        q = ~Q(kind__in=list(restricted))
        for kind, rule in restricted.items():
            held = role_grants(user, [r.pk for r in rule.reader_roles.all()])
            q |= Q(kind=kind) & (held if held is not None else Q(pk__in=[]))
        if user.is_authenticated:
            # EXISTS, not a join: a join repeats rows and needs DISTINCT, which kept the
            # database from answering "not readable" without reading every track in scope.
            q |= Exists(
                Track.investigators.through.objects.filter(track_id=OuterRef("pk"), user_id=user.pk)
            )
        return q

    def readable_by(self, user):
        """Tracks whose investigation the person may read (lex Sarah and lex Maria restricted)."""
        return self.filter(self._readable_q(user))

    def not_readable_by(self, user):
        """Tracks of a restricted kind the person may not read: what is derived from them (an
        action) is hidden from the person too (accounts/need_to_know.py). A subquery, not rows."""
        restricted = TrackRule.objects.in_force().filter(restricted=True).values("kind")
        return self.filter(kind__in=restricted).exclude(self._readable_q(user))


class Track(models.Model):
    scope_lookup = "deviation__unit"
    view_permission = "deviations.view"
    sensitive = True

    deviation = models.ForeignKey(
        Deviation, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("deviation")
    )
    kind = models.CharField(_("track"), max_length=20, choices=TrackKind.choices)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=TrackState.choices,
        default=TrackState.OPEN,
        db_index=True,
    )
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the report is not a deviation.")
    )
    serious = models.BooleanField(_("serious"), null=True, blank=True)
    serious_decided_at = models.DateTimeField(_("judged serious or not"), null=True, blank=True)
    investigators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="investigated_tracks",
        verbose_name=_("investigators"),
    )
    investigation_started_at = models.DateTimeField(
        _("investigation started"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("classified"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("classified by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = TrackQuerySet.as_manager()

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["deviation", "kind"]
        # The need-to-know rule looks up the restricted kinds on every list of derived records.
        indexes = [models.Index(fields=["kind"], name="track_kind")]
        constraints = [
            models.UniqueConstraint(fields=["deviation", "kind"], name="one_track_per_kind"),
        ]

    def __str__(self):
        return f"{self.deviation.reference} – {self.get_kind_display()}"

    def get_absolute_url(self):
        """The track's part of its case page (an action from its investigation links here)."""
        return reverse("deviations:detail", args=[self.deviation_id]) + f"#track-{self.pk}"

    def get_scope_node(self):
        return self.deviation.unit


class TrackTransition(models.Model):
    """One change of state: the history, the statistics' source, the reminders' queue."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, choices=TrackState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=TrackState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["to_state", "at"])]

    def __str__(self):
        return f"{self.action}: {self.from_state} → {self.to_state}"


class Clock(models.Model):
    """A deadline from a rule, running on a report or one of its tracks."""

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="clocks")
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.CASCADE, related_name="clocks"
    )
    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="clocks")
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    met_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deviation", "track", "rule"], name="one_clock_per_rule"
            ),
        ]

    def __str__(self):
        return f"{self.rule.name}: {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def overdue(self):
        return self.met_at is None and self.due_at < timezone.now()

    @property
    def remaining(self):
        return self.due_at - timezone.now()


def attachment_path(instance, filename):
    return f"deviations/{instance.deviation.reference}/{filename}"


class Attachment(models.Model):
    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name
