"""Notifications to the supervisory authorities and information to the people concerned.

One `AuthorityNotification` per track and recipient: IVO for a serious lex Sarah or lex Maria
case, IMY for a personal data breach (notified, or documented as not notified: GDPR art 33.5
keeps the documentation either way), and the people a high-risk breach concerns (art 34).
It holds the fields the authority's form asks for, prefilled from the case, and what happened
after: when and how it was sent, the authority's registry number, its requests, our replies
and its decision (`AuthorityContact`).

The fields are columns, not a JSON blob: the package, the history panel and the statistics read
them by name, and the change log shows each one with its label.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet, scope_q


class Recipient(models.TextChoices):
    IVO_LEX_SARAH = "ivo_lex_sarah", _("IVO: lex Sarah")
    IVO_LEX_MARIA = "ivo_lex_maria", _("IVO: lex Maria")
    IMY = "imy", _("IMY: personal data breach")
    PEOPLE_CONCERNED = "people_concerned", _("The people concerned (GDPR article 34)")


class NotificationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    NOT_NOTIFIED = "not_notified", _("Documented, not notified")
    DECIDED = "decided", _("Decided by the authority")


# (action, from, to): the only ways a notification may move; the services check every change.
NOTIFICATION_TRANSITIONS = {
    "send": (NotificationState.DRAFT, NotificationState.SENT),
    "not_notify": (NotificationState.DRAFT, NotificationState.NOT_NOTIFIED),
    # New facts (the risk was higher than thought): back to a draft, the clock runs again.
    "reconsider": (NotificationState.NOT_NOTIFIED, NotificationState.DRAFT),
    "authority_decision": (NotificationState.SENT, NotificationState.DECIDED),
}


class NotifyDecision(models.TextChoices):
    NOTIFY = "notify", _("Notify")
    NOT_NOTIFY = "not_notify", _("Do not notify")


class Channel(models.TextChoices):
    E_SERVICE = "e_service", _("The authority's e-service")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    PUBLIC_NOTICE = "public_notice", _("Public notice")


class EventKind(models.TextChoices):
    OCCURRED = "occurred", _("It happened")
    RISK = "risk", _("There was a real risk that it would happen")


class LegalArea(models.TextChoices):
    SOL = "sol", _("Social services (SoL)")
    LSS = "lss", _("Support and service (LSS)")


class InvestigationStatus(models.TextChoices):
    ATTACHED = "attached", _("Complete, sent with the notification")
    TO_FOLLOW = "to_follow", _("Under way, sent when complete")


class PatientSex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other or not stated")


class AgeRange(models.TextChoices):
    """The pseudonymised description's age ranges: wide enough never to point at anyone."""

    CHILD = "0-17", _("0–17 years")
    YOUNG_ADULT = "18-29", _("18–29 years")
    ADULT = "30-64", _("30–64 years")
    OLDER = "65-79", _("65–79 years")
    OLDEST = "80+", _("80 years or older")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class PeopleInformed(models.TextChoices):
    YES = "yes", _("Yes")
    PLANNED = "planned", _("Not yet, they will be")
    NO = "no", _("No")


class AuthorityNotificationQuerySet(ScopedQuerySet):
    def visible_to(self, user, key=None):
        """Notifications of tracks in scope whose investigation the person may also read.

        A lex Sarah or lex Maria notification retells the restricted investigation, so it
        follows the track's reader rule: for anyone else it does not exist (404).
        """
        # The track's model through the relation, not an import: deviations.models imports
        # this module to register its models, so this module imports nothing back.
        tracks = self.model._meta.get_field("track").related_model.objects
        return self.filter(
            scope_q(user, key or self.model.view_permission, self.model.scope_lookup),
            track__in=tracks.readable_by(user).values("pk"),
        )


class AuthorityNotification(models.Model):
    scope_lookup = "track__deviation__unit"
    view_permission = "deviations.view"
    sensitive = True

    track = models.ForeignKey(
        "deviations.Track",
        # A notification sent to an authority is a record of its own: never deleted silently.
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("track"),
    )
    recipient = models.CharField(_("recipient"), max_length=20, choices=Recipient.choices)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=NotificationState.choices,
        default=NotificationState.DRAFT,
        db_index=True,
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=NotifyDecision.choices, blank=True
    )
    not_notify_reason = models.TextField(
        _("why no notification is made"),
        blank=True,
        help_text=_(
            "For a breach: why it is unlikely to result in a risk to the people concerned."
        ),
    )
    created_at = models.DateTimeField(_("drafted"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Who notifies
    organisation_name = models.CharField(_("provider"), max_length=200, blank=True)
    organisation_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    address = models.TextField(_("address"), blank=True)
    unit_name = models.CharField(_("unit"), max_length=200, blank=True)
    legal_area = models.CharField(
        _("area of activity"), max_length=10, choices=LegalArea.choices, blank=True
    )
    own_reference = models.CharField(_("our reference"), max_length=40, blank=True)
    unit_address = models.TextField(_("the operation's address"), blank=True)
    dpo = models.TextField(_("data protection officer"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    # What happened
    event_kind = models.CharField(
        _("happened or risk"), max_length=10, choices=EventKind.choices, blank=True
    )
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    discovered_at = models.DateTimeField(_("when it was discovered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("when it ended"), null=True, blank=True)
    event_place = models.CharField(_("where it happened"), max_length=300, blank=True)
    reported_at = models.DateTimeField(_("when it was reported"), null=True, blank=True)
    investigation_started_at = models.DateTimeField(
        _("when the investigation started"), null=True, blank=True
    )
    decision_maker = models.CharField(_("who decided (name and role)"), max_length=200, blank=True)
    # A pseudonymised description of the person concerned: optional, never a name.
    person_age_range = models.CharField(
        _("the person's age range"), max_length=10, choices=AgeRange.choices, blank=True
    )
    person_sex = models.CharField(
        _("the person's sex"), max_length=10, choices=PatientSex.choices, blank=True
    )
    person_service = models.CharField(
        _("the kind of service the person receives"), max_length=200, blank=True
    )
    what_happened = models.TextField(_("what happened"), blank=True)
    consequences = models.TextField(_("consequences"), blank=True)
    patient_age = models.PositiveSmallIntegerField(_("the patient's age"), null=True, blank=True)
    patient_sex = models.CharField(
        _("the patient's sex"), max_length=10, choices=PatientSex.choices, blank=True
    )

    # A personal data breach (IMY's form)
    breach_confidentiality = models.BooleanField(
        _("confidentiality breach (disclosed or accessed without authority)"), default=False
    )
    breach_integrity = models.BooleanField(
        _("integrity breach (altered without authority)"), default=False
    )
    breach_availability = models.BooleanField(
        _("availability breach (lost or destroyed)"), default=False
    )
    people_categories = models.TextField(_("categories of people concerned"), blank=True)
    people_count = models.PositiveIntegerField(
        _("approximate number of people"), null=True, blank=True
    )
    data_kinds = models.TextField(_("kinds of personal data"), blank=True)
    special_categories = models.BooleanField(
        _("special categories of personal data (e.g. health)"), default=False
    )
    records_count = models.PositiveIntegerField(
        _("approximate number of records"), null=True, blank=True
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)

    # What was done
    measures_taken = models.TextField(_("measures taken"), blank=True)
    measures_planned = models.TextField(_("measures planned"), blank=True)
    investigation_status = models.CharField(
        _("the investigation"), max_length=20, choices=InvestigationStatus.choices, blank=True
    )
    people_informed = models.CharField(
        _("have the people concerned been informed?"),
        max_length=10,
        choices=PeopleInformed.choices,
        blank=True,
    )
    people_informed_on = models.DateField(_("informed on"), null=True, blank=True)
    people_not_informed_reason = models.TextField(_("why they are not informed"), blank=True)
    message = models.TextField(_("the message to the people concerned"), blank=True)
    delay_reason = models.TextField(
        _("reason for the delay"),
        blank=True,
        help_text=_(
            "Required when IMY is notified more than 72 hours after the organisation "
            "became aware (GDPR article 33.1)."
        ),
    )

    # Sending and after
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    channel = models.CharField(_("how"), max_length=20, choices=Channel.choices, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    registry_number = models.CharField(
        _("the authority's registry number"), max_length=60, blank=True
    )
    decided_at = models.DateField(_("the authority decided on"), null=True, blank=True)

    objects = AuthorityNotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("authority notification")
        verbose_name_plural = _("authority notifications")
        ordering = ["track", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["track", "recipient"], name="one_notification_per_recipient"
            ),
        ]

    def __str__(self):
        return f"{self.track.deviation.reference} – {self.get_recipient_display()}"

    def get_absolute_url(self):
        return reverse("deviations:notification_detail", args=[self.pk])

    def get_scope_node(self):
        return self.track.deviation.unit

    @property
    def is_authority(self):
        return self.recipient != Recipient.PEOPLE_CONCERNED


class ContactKind(models.TextChoices):
    REQUEST = "request", _("Request from the authority")
    REPLY = "reply", _("Our reply or supplement")
    DECISION = "decision", _("The authority's decision")


class AuthorityContact(models.Model):
    """Something that happened after sending: a request, our reply, the authority's decision."""

    notification = models.ForeignKey(
        AuthorityNotification,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("notification"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    on = models.DateField(_("date"))
    text = models.TextField(_("content"))
    reply_by = models.DateField(
        _("reply by"), null=True, blank=True, help_text=_("For a request: the authority's date.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contact with the authority")
        verbose_name_plural = _("contacts with the authority")
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_kind_display()}"

    def get_scope_node(self):
        return self.notification.track.deviation.unit
