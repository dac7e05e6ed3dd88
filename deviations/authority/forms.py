from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.free_text import FreeTextMixin
from deviations.authority.models import AuthorityNotification, Channel, ContactKind
from deviations.authority.sections import (
    FROM_CASE,
    SECTIONS,
    editable_fields,
    field_label,
    value_of,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label, **kwargs):
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        **kwargs,
    )


TEXT_AREAS = {
    "address",
    "unit_address",
    "dpo",
    "what_happened",
    "consequences",
    "people_categories",
    "data_kinds",
    "measures_taken",
    "measures_planned",
    "people_not_informed_reason",
    "message",
    "delay_reason",
}
DATETIMES = {
    "occurred_at",
    "discovered_at",
    "ended_at",
    "reported_at",
    "investigation_started_at",
}


@dataclass
class FromCase:
    """A field of the notification that the case answers: shown in the form, changed on the
    case (the time the organisation became aware moves the deadline too)."""

    name: str
    label: str
    value: object
    from_case: bool = True


class NotificationContentForm(FreeTextMixin, forms.ModelForm):
    """The fields of one recipient's form, labelled in its authority's words."""

    class Meta:
        model = AuthorityNotification
        fields = sorted(
            {name for sections in SECTIONS.values() for _h, names in sections for name in names}
        )

    def __init__(self, *args, recipient, **kwargs):
        super().__init__(*args, **kwargs)
        self.recipient = recipient
        used = editable_fields(recipient)
        for name in list(self.fields):
            if name not in used:
                del self.fields[name]
        for name, field in self.fields.items():
            if name in DATETIMES:
                self.fields[name] = field = _datetime_field(field.label, required=False)
            elif name == "people_informed_on":
                field.widget = DATE
            elif name in TEXT_AREAS:
                field.widget = forms.Textarea(attrs={"rows": 8 if name == "message" else 3})
            field.label = field_label(recipient, name)
            field.required = False
        self.order_fields(used)

    def sections(self):
        """(heading, items) per part of the authority's form, for the template: bound fields,
        and for what the case answers (FROM_CASE) a FromCase to show, not to edit."""
        return [
            (
                heading,
                [
                    self[name] if name in self.fields else self.from_case(name)
                    for name in names
                    if name in self.fields or name in FROM_CASE
                ],
            )
            for heading, names in SECTIONS[self.recipient]
        ]

    def from_case(self, name):
        return FromCase(
            name=name,
            label=field_label(self.recipient, name),
            value=value_of(self.instance, name),
        )

    free_text_fields = tuple(
        sorted(
            TEXT_AREAS
            | {
                "unit_name",
                "organisation_name",
                "event_place",
                "decision_maker",
                "person_service",
            }
        )
    )
    personal_number_message = _(
        "Remove the personal identity number: the package never carries anyone's identity."
    )

    def clean(self):
        data = super().clean()
        started, ended = data.get("occurred_at"), data.get("ended_at")
        if started and ended and ended < started:
            self.add_error("ended_at", _("The breach cannot end before it started."))
        return data


class SendForm(FreeTextMixin, forms.Form):
    free_text_fields = ("delay_reason",)
    prefix = "send"

    sent_at = _datetime_field(_("Sent"))
    channel = forms.ChoiceField(label=_("How"), choices=())
    delay_reason = forms.CharField(
        label=_("Reason for the delay"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required when sent after the deadline set by law (GDPR article 33.1: 72 hours)."
        ),
    )

    def __init__(self, *args, channels, with_delay_reason, **kwargs):
        kwargs.setdefault("initial", {}).setdefault(
            "sent_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", "—")] + [(c, Channel(c).label) for c in channels]
        if not with_delay_reason:
            del self.fields["delay_reason"]

    def clean_sent_at(self):
        value = self.cleaned_data["sent_at"]
        if value and value > timezone.now() + timedelta(minutes=5):
            raise ValidationError(_("The time cannot be in the future."), code="future")
        return value


class NotNotifyForm(FreeTextMixin, forms.Form):
    free_text_fields = ("reason",)
    prefix = "decline"

    reason = forms.CharField(
        label=_("Why no notification is made"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For a breach: why it is unlikely to result in a risk to the people concerned, or "
            "for information to them, which exception of GDPR article 34.3 applies."
        ),
    )


class CaseNumberForm(forms.Form):
    prefix = "case"

    registry_number = forms.CharField(label=_("The authority's registry number"), max_length=60)


class ContactForm(FreeTextMixin, forms.Form):
    free_text_fields = ("text",)
    personal_number_message = _(
        "Remove the personal identity number: it belongs in the authority's system."
    )
    prefix = "contact"

    kind = forms.ChoiceField(label=_("What"), choices=[("", "—")] + ContactKind.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    reply_by = forms.DateField(
        label=_("Reply by"),
        required=False,
        widget=DATE,
        help_text=_("For a request: the date the authority set."),
    )
