"""The public form (no login), the staff's registration form, and the handling forms."""

import uuid
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.forms import OwnerChoiceField
from actions.services import possible_owners
from core.free_text import FreeTextMixin
from core.uploads import SizeCheckedFileInput, with_upload_size
from core.widgets import QuickNodeChoiceField
from deviations.reporting.attachments import MAX_ATTACHMENT_SIZE, check_attachment
from feedback.models import AnswerBy, Channel, Kind, MaskingGround, Theme
from feedback.seed import intake_limits, plain_texts
from organisation.models import NodeKind, OrgNode

ACCEPT = ".pdf,.jpg,.jpeg,.png,.heic,.docx,image/jpeg,image/png,image/heic,application/pdf"
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
CONTACT = ("contact_name", "contact_email", "contact_phone", "contact_address")


def public_operations():
    """The operations the public may choose among: the open units and operations, by name."""
    return OrgNode.objects.filter(
        is_active=True, kind__in=(NodeKind.UNIT, NodeKind.OPERATION)
    ).order_by("name", "pk")


def theme_field(**kwargs):
    return forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.filter(is_active=True),
        required=False,
        empty_label=_("Not stated"),
        help_text=_("What it is about; the statistics count by theme."),
        **kwargs,
    )


class AttachmentField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            SizeCheckedFileInput(
                attrs={"accept": ACCEPT},
                max_bytes=MAX_ATTACHMENT_SIZE,
                too_big=_(
                    "“%(name)s” is larger than %(size)s. Choose a smaller file or take a new photo."
                ),
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file:
            check_attachment(file)
        return file


class FeedbackFields(FreeTextMixin, forms.Form):
    """What both forms ask: the kind, what happened, whether and how to answer, who."""

    free_text_fields = ("description", "relation")
    personal_number_message = _(
        "This looks like a personal identity number. We do not need it to handle your "
        "feedback: please remove it. If it is a phone number, write it with a dash or spaces "
        "(070-123 45 67)."
    )

    kind = forms.ChoiceField(
        label=_("What do you want to tell us?"), choices=Kind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What happened, or what do you think?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("In your own words. Say when and where, if it helps."),
    )
    wants_answer = forms.ChoiceField(
        label=_("Do you want an answer?"), choices=YES_NO, widget=forms.RadioSelect
    )
    answer_by = forms.ChoiceField(
        label=_("How do you want the answer?"),
        choices=AnswerBy.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    anonymous = forms.BooleanField(
        label=_("I want to be anonymous"),
        required=False,
        help_text=_(
            "Then we keep no name or contact details. You can still read our answer through "
            "the link in your receipt."
        ),
    )
    contact_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    contact_address = forms.CharField(
        label=_("Postal address"),
        max_length=400,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    on_behalf = forms.BooleanField(label=_("I write on behalf of someone else"), required=False)
    relation = forms.CharField(
        label=_("Your relation to the person"),
        max_length=120,
        required=False,
        help_text=_("For example: daughter, guardian, friend."),
    )
    attachment = AttachmentField(
        label=_("Attachment"),
        required=False,
        help_text=with_upload_size(
            _("Optional: a photo or a document, PDF, JPEG, PNG, HEIC or Word, at most %(size)s."),
            "attachment",
        ),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        most = intake_limits()["description_max_length"]
        description = self.fields["description"]
        description.max_length = most
        description.validators.append(MaxLengthValidator(most))
        description.widget.attrs["maxlength"] = str(most)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    def clean(self):
        data = super().clean()
        wants = data.get("wants_answer") == "yes"
        data["wants_answer"] = wants
        if data.get("anonymous"):
            for name in CONTACT:
                data[name] = ""
            if wants:
                data["answer_by"] = AnswerBy.LINK
        if not wants:
            data["answer_by"] = ""
        elif not data.get("answer_by"):
            self.add_error("answer_by", _("Choose how you want the answer."))
        needed = {
            AnswerBy.EMAIL: [("contact_email", _("Write the e-mail address to answer."))],
            AnswerBy.PHONE: [("contact_phone", _("Write the phone number to call."))],
            AnswerBy.LETTER: [
                ("contact_name", _("Write the name to send the letter to.")),
                ("contact_address", _("Write the postal address to send the letter to.")),
            ],
        }
        for name, message in needed.get(data.get("answer_by"), []):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        if not data.get("on_behalf"):
            data["relation"] = ""
        return data

    def feedback_fields(self):
        """The cleaned values the services store."""
        data = self.cleaned_data
        names = ("kind", "description", "wants_answer", "answer_by", "anonymous", *CONTACT)
        return {name: data[name] for name in (*names, "on_behalf", "relation")}


class PublicForm(FeedbackFields):
    about = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=OrgNode.objects.none(),
        required=False,
        empty_label=_("I don't know, or it concerns several"),
        help_text=_("Choose the operation, if you know it. Start typing its name to find it."),
    )
    # A field people never see (the form's style hides it): filled in by programs only.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    field_order = [
        "kind",
        "about",
        "description",
        "wants_answer",
        "answer_by",
        "anonymous",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_address",
        "on_behalf",
        "relation",
        "attachment",
    ]

    def __init__(self, *args, plain=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].queryset = public_operations()
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        if plain:
            self._in_plain_swedish()

    def _in_plain_swedish(self):
        """The labels and choices of the form in plain Swedish (feedback/data/plain.json)."""
        texts = plain_texts()
        for name, wording in texts["fields"].items():
            field = self.fields[name]
            for attribute in ("label", "help_text", "empty_label"):
                if attribute in wording:
                    setattr(field, attribute, wording[attribute])
        for name, labels in texts["choices"].items():
            field = self.fields[name]
            field.choices = [(value, labels.get(value, label)) for value, label in field.choices]

    def feedback_fields(self):
        return dict(super().feedback_fields(), about=self.cleaned_data["about"])


class RegisterForm(FeedbackFields):
    """Feedback a member of staff received, registered for the unit that handles it."""

    unit = QuickNodeChoiceField(label=_("Unit that handles it"), queryset=OrgNode.objects.none())
    channel = forms.ChoiceField(
        label=_("Received through"),
        choices=[c for c in Channel.choices if c[0] != Channel.WEB],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label=_("Date received"), widget=forms.DateInput(attrs={"type": "date"})
    )
    health_care = forms.BooleanField(
        label=_("It concerns health care"),
        required=False,
        help_text=_("A complaint about health care is to be answered within four weeks."),
    )
    theme = theme_field()

    field_order = ["unit", "channel", "received_on", "kind", "theme", "health_care", "description"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["kind"].label = _("Kind")
        self.fields["description"].label = _("What the person told")
        self.fields["wants_answer"].label = _("Does the person want an answer?")
        self.fields["answer_by"].label = _("How does the person want the answer?")
        self.fields["anonymous"].label = _("The person wants to be anonymous")
        self.fields["on_behalf"].label = _("On behalf of someone else")
        self.fields["relation"].label = _("Relation to the person")
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."), code="future")
        return day

    def feedback_fields(self):
        data = self.cleaned_data
        received = timezone.make_aware(
            datetime.combine(data["received_on"], timezone.localtime().time())
        )
        return dict(
            super().feedback_fields(),
            channel=data["channel"],
            received_at=min(received, timezone.now()),
            health_care=data["health_care"],
            theme=data["theme"],
        )


class ThemeForm(forms.Form):
    theme = theme_field()


class AcknowledgeForm(FreeTextMixin, forms.Form):
    free_text_fields = ("message",)
    theme = theme_field()

    message = forms.CharField(
        label=_("A few words to the person (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the confirmation when the person gave an e-mail address."),
    )
    health_care = forms.BooleanField(label=_("It concerns health care"), required=False)


class ForwardForm(FreeTextMixin, forms.Form):
    free_text_fields = ("reason",)
    unit = QuickNodeChoiceField(label=_("Forward to"), queryset=OrgNode.objects.none())
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class NoteForm(FreeTextMixin, forms.Form):
    free_text_fields = ("text",)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())


class AnswerForm(FreeTextMixin, forms.Form):
    free_text_fields = ("text",)

    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))
    sent_by = forms.ChoiceField(
        label=_("Sent by"), choices=AnswerBy.choices, widget=forms.RadioSelect
    )


class PraiseForm(FreeTextMixin, forms.Form):
    free_text_fields = ("message",)

    message = forms.CharField(
        label=_("What is passed on to the staff"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Edit out what the staff need not read."),
    )


class DeviationForm(FreeTextMixin, forms.Form):
    free_text_fields = ("description",)
    unit = QuickNodeChoiceField(label=_("Unit"), queryset=OrgNode.objects.none())
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The part of the feedback the report is about. No names or personal identity "
            "numbers: the report's own protected field is for who was affected."
        ),
    )
    lex_sarah = forms.BooleanField(
        label=_("It may be a missförhållande (lex Sarah)"), required=False
    )
    health_care = forms.BooleanField(
        label=_("Health care was involved (it may be a vårdskada, lex Maria)"), required=False
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ActionForm(FreeTextMixin, forms.Form):
    """What the feedback showed must change: an action on the unit's action list."""

    free_text_fields = ("title", "description")
    title = forms.CharField(label=_("What is to be done"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = OwnerChoiceField(label=_("Owner"), queryset=None)
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = possible_owners(actor).order_by(
            "last_name", "first_name", "username"
        )
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())


class MaskForm(forms.Form):
    passage = forms.CharField(
        label=_("Words to be masked"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Copy the words from what was written or from the answer: a name, an address, a "
            "detail about someone's health or circumstances. They are masked wherever they stand."
        ),
    )
    ground = forms.ModelChoiceField(
        label=_("Why"),
        queryset=MaskingGround.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, default=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].queryset = MaskingGround.objects.filter(
            is_active=True
        ).select_related("section__regulation")
        if default is not None:
            self.initial.setdefault("ground", default.pk)
