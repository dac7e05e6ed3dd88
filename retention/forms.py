from django import forms
from django.utils.translation import gettext_lazy as _

from core.free_text import FreeTextMixin
from legal.models import RegulationSection
from legal.rules import TrackKind
from retention import registry
from retention.models import HoldKind, RetentionRule


class RuleForm(FreeTextMixin, forms.ModelForm):
    free_text_fields = ("notes",)
    record_type = forms.ChoiceField(label=_("kind of record"))
    track_kind = forms.ChoiceField(
        label=_("legal track"),
        required=False,
        help_text=_("Only deviations with this track; empty for all."),
    )

    class Meta:
        model = RetentionRule
        fields = [
            "name",
            "record_type",
            "applies_to",
            "track_kind",
            "runs_from",
            "years",
            "months",
            "section",
            "reference_text",
            "action",
            "is_active",
            "order",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = registry.choices()
        self.fields["track_kind"].choices = [("", "–"), *TrackKind.choices]
        self.fields["section"].queryset = RegulationSection.objects.select_related(
            "regulation"
        ).order_by("regulation__name", "order")
        self.fields["section"].required = False
        self.fields["years"].required = False
        self.fields["months"].required = False

    def clean_years(self):
        return self.cleaned_data.get("years") or 0

    def clean_months(self):
        return self.cleaned_data.get("months") or 0


class HoldForm(FreeTextMixin, forms.Form):
    free_text_fields = ("reason",)
    kind = forms.ChoiceField(label=_("What is held"), choices=HoldKind.choices)
    deviation = forms.CharField(
        label=_("Deviation reference"),
        required=False,
        max_length=20,
        help_text=_("E.g. AV-2026-000415."),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to hold until the hold is lifted."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class LiftForm(FreeTextMixin, forms.Form):
    free_text_fields = ("lift_reason",)
    lift_reason = forms.CharField(
        label=_("Why the hold is lifted"), widget=forms.Textarea(attrs={"rows": 3})
    )
