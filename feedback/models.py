"""Feedback (synpunkter): complaints, opinions, praise and suggestions from the people the
operations serve, their relatives and the public; how each is handled to an answer.

- feedback: received ──acknowledge──▶ acknowledged ──answer──▶ answered ──close──▶ closed;
  a received or acknowledged item may be answered or closed at once (praise is passed on and
  closed), a closed one reopened; a submission held as possible abuse is released into
  `received` or discarded (`TRANSITIONS`). Forwarding to another unit keeps the state and is
  written as a transition row too.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from core.crypto import EncryptedTextField, keyed_hash, normalise_name
from core.transitions import Transition
from legal.rules import ClockUnit
from notifications.models import ReminderKind

VIEW = "feedback.view"
HANDLE = "feedback.handle"
REGISTER = "feedback.register"
COORDINATE = "feedback.coordinate"


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    OPINION = "opinion", _("Opinion")
    PRAISE = "praise", _("Praise")
    SUGGESTION = "suggestion", _("Suggestion for improvement")


class Channel(models.TextChoices):
    WEB = "web", _("The web form")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")
    EMAIL = "email", _("E-mail")
    PATIENT_BOARD = "patient_board", _("Through Patientnämnden")


class AnswerBy(models.TextChoices):
    LINK = "link", _("I read the answer through the link in my receipt")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")


class Status(models.TextChoices):
    HELD = "held", _("Held for review")
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Receipt confirmed")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    DISCARDED = "discarded", _("Discarded as abuse")


S = Status
# (from, to): the name of the transition. Forwarding keeps the state (from == to).
TRANSITIONS = {
    (S.HELD, S.RECEIVED): "release",
    (S.HELD, S.DISCARDED): "discard",
    (S.RECEIVED, S.ACKNOWLEDGED): "acknowledge",
    (S.RECEIVED, S.ANSWERED): "answer",
    (S.RECEIVED, S.CLOSED): "close",
    (S.ACKNOWLEDGED, S.ANSWERED): "answer",
    (S.ACKNOWLEDGED, S.CLOSED): "close",
    (S.ANSWERED, S.CLOSED): "close",
    (S.CLOSED, S.ACKNOWLEDGED): "reopen",
}
OPEN = (S.RECEIVED, S.ACKNOWLEDGED, S.ANSWERED)
# What the person who gave the feedback sees of each state (never "held" or "discarded").
PUBLIC_STATUS = {
    S.HELD: _("Received"),
    S.RECEIVED: _("Received"),
    S.ACKNOWLEDGED: _("Being handled"),
    S.ANSWERED: _("Answered"),
    S.CLOSED: _("Finished"),
    S.DISCARDED: _("Received"),
}


class TargetKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Receipt confirmed to the person")
    ANSWER = "answer", _("Answered")


class TargetRule(models.Model):
    """How soon feedback is to be acknowledged or answered: a law's recommendation (health-care
    complaints answered within four weeks) or the organisation's own target. Rows are data
    (feedback/data/targets.json, then the administrator's edits); the most specific rule in
    force on the day of receipt applies."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=160)
    target = models.CharField(_("what"), max_length=20, choices=TargetKind.choices)
    kind = models.CharField(
        _("kind of feedback"),
        max_length=20,
        choices=Kind.choices,
        blank=True,
        help_text=_("Empty: every kind."),
    )
    health_care = models.BooleanField(
        _("only feedback about health care"),
        default=False,
        help_text=_("The rule applies only to feedback marked as concerning health care."),
    )
    amount = models.PositiveIntegerField(_("length"))
    unit = models.CharField(_("unit"), max_length=20, choices=ClockUnit.choices)
    is_law = models.BooleanField(
        _("set by law or regulation"),
        default=False,
        help_text=_("Otherwise a target the organisation has set itself."),
    )
    section = models.ForeignKey(
        "legal.RegulationSection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("legal reference"),
    )
    remind_before_hours = models.PositiveIntegerField(
        _("remind before (hours)"),
        default=0,
        help_text=_("How long before the target the person responsible is reminded; 0: at it."),
    )
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_until = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("target for feedback")
        verbose_name_plural = _("targets for feedback")
        ordering = ["target", "code"]

    def __str__(self):
        return self.name

    def specificity(self):
        return (self.health_care, bool(self.kind))


class Theme(models.Model):
    """What feedback is about (bemötande, information, måltider …): a catalogue that is data
    (feedback/data/themes.json, then the organisation's edits). Where a theme is what a kind of
    deviation is, it names that kind, so feedback and deviations can be read together."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)
    event_category = models.ForeignKey(
        "deviations.EventCategory",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("the same as the kind of event"),
        help_text=_("The deviations' kind of event this theme corresponds to, if any."),
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class DefaultFor(models.TextChoices):
    SOCIAL_CARE = "social_care", _("Social services")
    HEALTH_CARE = "health_care", _("Health care")


class MaskingGround(models.Model):
    """Why a passage is left out of a copy released as a public document: a secrecy provision
    of the Public Access to Information and Secrecy Act, as data (feedback/data/masking.json).
    Names and personal identity numbers are always masked, on the ground that is the default
    for the kind of care the feedback concerns."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=160)
    section = models.ForeignKey(
        "legal.RegulationSection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("legal reference"),
    )
    default_for = models.CharField(
        _("default for"), max_length=20, choices=DefaultFor.choices, blank=True
    )
    order = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("ground for masking")
        verbose_name_plural = _("grounds for masking")
        ordering = ["order", "name"]

    def __str__(self):
        return f"{self.name} ({self.section.citation})" if self.section_id else self.name


REFERENCE_FORMAT = "SY-{year}-{number:06d}"


class ReferenceSequence(models.Model):
    """The last number used per year: SY-2026-000123 is the year's 123rd feedback."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class FeedbackQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN)

    def handled(self):
        """Not held as possible abuse, nor discarded: the feedback handlers work with."""
        return self.exclude(status__in=(S.HELD, S.DISCARDED))


class Feedback(models.Model):
    scope_lookup = "unit"
    view_permission = VIEW
    sensitive = True

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("received through"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    about = models.ForeignKey(
        "organisation.OrgNode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("what it is about"),
        help_text=_("The operation the person chose; empty when they did not know."),
    )
    unit = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name=_("handled by"),
    )
    description = models.TextField(_("what happened"))
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name=_("theme"),
    )
    health_care = models.BooleanField(
        _("concerns health care"),
        default=False,
        help_text=_("Health-care complaints are to be answered within four weeks."),
    )
    wants_answer = models.BooleanField(_("wants an answer"), default=False)
    answer_by = models.CharField(
        _("answer by"), max_length=10, choices=AnswerBy.choices, blank=True
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # Contact details: encrypted at rest, never stored for anonymous feedback.
    contact_name = EncryptedTextField(_("name"), max_length=200, blank=True)
    contact_email = EncryptedTextField(_("e-mail"), max_length=254, blank=True)
    contact_phone = EncryptedTextField(_("phone"), max_length=40, blank=True)
    contact_address = EncryptedTextField(_("postal address"), max_length=400, blank=True)
    # The name found by exact search (a register extract, privacy/sources.py), never read back.
    contact_name_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    on_behalf = models.BooleanField(_("on behalf of someone else"), default=False)
    relation = models.CharField(_("relation to the person"), max_length=120, blank=True)
    language = models.CharField(max_length=10, default="sv", editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=S.RECEIVED, db_index=True
    )
    held_reason = models.CharField(_("why it was held"), max_length=200, blank=True)
    acknowledge_due = models.DateTimeField(_("receipt to be confirmed by"), null=True, blank=True)
    answer_due = models.DateTimeField(_("to be answered by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("receipt confirmed"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answer_sent_by = models.CharField(
        _("answer sent by"), max_length=10, choices=AnswerBy.choices, blank=True
    )
    # The private link's token: found by its keyed hash, kept encrypted so that a submission
    # sent twice gets the same receipt.
    public_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    public_token = EncryptedTextField(blank=True, editable=False)
    submission_key = models.UUIDField(unique=True, null=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )
    deviation = models.ForeignKey(
        "deviations.Deviation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("deviation report"),
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            # The statistics read these columns of a unit's feedback of some years: from the
            # index alone on PostgreSQL (the rows of a unit lie scattered over the table).
            models.Index(
                fields=["unit", "received_at"],
                include=[
                    "kind",
                    "status",
                    "acknowledge_due",
                    "acknowledged_at",
                    "answer_due",
                    "answered_at",
                    "health_care",
                    "deviation",
                ],
                name="feedback_unit_received",
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        self.contact_name_hash = keyed_hash(normalise_name(self.contact_name))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "contact_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "contact_name_hash"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("feedback:detail", args=[self.pk])

    @property
    def access_log_label(self):
        return self.reference

    def get_scope_node(self):
        return self.unit

    @property
    def is_open(self):
        return self.status in OPEN

    def public_status(self):
        return PUBLIC_STATUS[Status(self.status)]


class FeedbackTransition(Transition):
    scope_lookup = "feedback__unit"
    view_permission = VIEW

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("step"), max_length=20)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)

    class Meta(Transition.Meta):
        verbose_name = _("step of feedback")
        verbose_name_plural = _("steps of feedback")

    def __str__(self):
        return f"{self.feedback}: {self.action}"

    def get_scope_node(self):
        return self.feedback.unit


class Note(models.Model):
    """An investigation note: what the handler found out, for the colleagues and the record."""

    scope_lookup = "feedback__unit"
    view_permission = VIEW

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.feedback}: {self.at:%Y-%m-%d}"

    def get_scope_node(self):
        return self.feedback.unit


def attachment_path(instance, filename):
    return f"feedback/{instance.feedback.reference}/{filename}"


class Attachment(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name


class SubmissionCount(models.Model):
    """Public submissions per address and hour, for the rate limit: the address only as a keyed
    hash, and never beside the feedback itself (anonymous feedback stores no address)."""

    address_hash = models.CharField(max_length=64)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address_hash", "hour"], name="submission_count_once")
        ]

    def __str__(self):
        return f"{self.hour:%Y-%m-%d %H}: {self.count}"


class Reminder(models.Model):
    """The claim of each reminder about a target of a feedback (feedback/reminders.py): one row
    per feedback, target, kind and person, so a retry sends nothing twice."""

    scope_lookup = "feedback__unit"
    view_permission = VIEW

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="reminders")
    target = models.CharField(_("what"), max_length=20, choices=TargetKind.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    claimed_at = models.DateTimeField(_("claimed"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder about feedback")
        verbose_name_plural = _("reminders about feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "target", "kind", "recipient"], name="feedback_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.feedback} {self.target} {self.kind}"

    def get_scope_node(self):
        return self.feedback.unit


class Masking(models.Model):
    """A passage of the feedback or its answer that the handler marked as secret or as personal
    data: a copy released as a public document shows it masked (feedback/release.py). The
    passage is personal data itself, so it is kept encrypted."""

    scope_lookup = "feedback__unit"
    view_permission = VIEW

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="maskings")
    passage = EncryptedTextField(_("passage"), max_length=1000)
    ground = models.ForeignKey(
        MaskingGround, on_delete=models.PROTECT, related_name="+", verbose_name=_("ground")
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)

    class Meta:
        verbose_name = _("masked passage")
        verbose_name_plural = _("masked passages")
        ordering = ["marked_at", "pk"]

    def __str__(self):
        return f"{self.feedback}: {self.ground}"

    def get_scope_node(self):
        return self.feedback.unit
