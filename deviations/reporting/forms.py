"""The report form a care worker fills in on a phone: five required inputs, the rest optional."""

import uuid
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.free_text import FreeTextMixin
from core.uploads import SizeCheckedFileInput, with_upload_size
from deviations.categories import categories_by_unit, union_in_order
from deviations.models import Affected, Deviation, EventCategory
from deviations.reporting.attachments import MAX_ATTACHMENT_SIZE, check_attachment

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# A phone's clock may run a little ahead of the server's.
FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_FILES = 10
ACCEPT = ".pdf,.jpg,.jpeg,.png,.heic,.docx,image/jpeg,image/png,image/heic,application/pdf"
FREE_TEXT_FIELDS = ("description", "immediate_action", "place")


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked like a single one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            SizeCheckedFileInput(
                attrs={"accept": ACCEPT},
                max_bytes=MAX_ATTACHMENT_SIZE,
                # The server's own sentence (deviations/reporting/attachments.py).
                too_big=_(
                    "“%(name)s” is larger than %(size)s. Choose a smaller file or take a new photo."
                ),
                multiple=True,
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("Attach at most %(count)s files.") % {"count": MAX_FILES}, code="too_many"
            )
        errors = []
        for file in files:
            try:
                check_attachment(super().clean(file, initial))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return list(files)


class ReportForm(FreeTextMixin, forms.ModelForm):
    free_text_fields = FREE_TEXT_FIELDS
    personal_number_message = _(
        "This looks like a personal identity number. Move it into the protected field “Who was "
        "affected?” at the end of the form, where only the people handling the case see it. If "
        "it is a phone number, write it with a dash or spaces (070-123 45 67)."
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=with_upload_size(
            _("Photos or documents, if they help: PDF, JPEG, PNG, HEIC or Word, %(size)s each."),
            "attachment",
        ),
    )

    class Meta:
        model = Deviation
        fields = [
            "unit",
            "occurred_at",
            "description",
            "immediate_action",
            "service_user_affected",
            "category",
            "place",
            "affected_person",
            "hint_lex_sarah",
            "hint_health_care",
            "hint_data_breach",
        ]
        labels = {
            "unit": _("Unit"),
            "occurred_at": _("When did it happen?"),
            "description": _("What happened?"),
            "immediate_action": _("What was done at once?"),
            "service_user_affected": _("Was a service user affected?"),
            "category": _("What kind of event was it?"),
            "place": _("Where did it happen?"),
            "affected_person": _("Who was affected? (protected)"),
        }
        help_texts = {
            "occurred_at": _("Date and time. Change it if it happened earlier."),
            "description": _(
                "Describe what happened in your own words. Do not write names or personal "
                "identity numbers here."
            ),
            "immediate_action": _("For example: called the nurse, informed the family."),
            "place": _("Optional. For example: the kitchen, the person's home, the car."),
            "affected_person": _(
                "Optional. Name or personal identity number of the person concerned. Only the "
                "people handling the case see this field."
            ),
        }
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
            ),
            "description": forms.Textarea(attrs={"rows": 5}),
            "immediate_action": forms.Textarea(attrs={"rows": 3}),
            "service_user_affected": forms.RadioSelect,
            "category": forms.RadioSelect,
            "place": forms.TextInput(attrs={"autocomplete": "off"}),
            "affected_person": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, units, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = units
        choices = list(units[:2])
        if unit is not None:
            field.initial = unit.pk
        elif len(choices) == 1:
            field.initial = choices[0].pk
        if len(choices) == 1:
            field.empty_label = None
        else:
            field.empty_label = _("Choose the unit")
        when = self.fields["occurred_at"]
        when.input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        when.initial = timezone.localtime().replace(second=0, microsecond=0)
        affected = self.fields["service_user_affected"]
        affected.choices = Affected.choices  # no blank choice among the radio buttons
        # The kinds of event of the person's units; which one applies to the chosen unit is
        # checked in clean().
        self.offered_by_unit = categories_by_unit(units)
        offered = union_in_order(self.offered_by_unit.values())
        category = self.fields["category"]
        category.queryset = EventCategory.objects.filter(pk__in=[c.pk for c in offered])
        # Not knowing is no choice at all; it stays a radio button of its own so that a tap
        # can be taken back.
        category.empty_label = _("Don't know / skip")
        self.category_help = [c for c in offered if c.description]
        if not self.is_bound and not self.initial.get("submission_key"):
            self.initial["submission_key"] = uuid.uuid4()

    def clean_occurred_at(self):
        when = self.cleaned_data["occurred_at"]
        if when and when > timezone.now() + FUTURE_TOLERANCE:
            raise ValidationError(
                _("The time is in the future. Give the time it happened."), code="future"
            )
        return when

    def clean(self):
        data = super().clean()
        unit, category = data.get("unit"), data.get("category")
        if unit is not None and category is not None:
            offered = self.offered_by_unit.get(unit.pk, ())
            if all(c.pk != category.pk for c in offered):
                self.add_error(
                    "category",
                    ValidationError(
                        _(
                            "“%(category)s” is not used at %(unit)s. Choose another kind of "
                            "event, or “Don't know / skip”."
                        )
                        % {"category": category, "unit": unit},
                        code="category_not_offered",
                    ),
                )
        return data

    def report_fields(self):
        """The cleaned values as keyword arguments of services.report."""
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields if name != "unit"}
