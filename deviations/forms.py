from django import forms
from django.utils.translation import gettext_lazy as _

from core.free_text import FreeTextMixin
from deviations.models import DeviationStatus
from legal.rules import TrackKind
from organisation.models import OrgNode


class TriageForm(FreeTextMixin, forms.Form):
    free_text_fields = ("reason",)

    kinds = forms.MultipleChoiceField(
        label=_("Tracks"),
        choices=TrackKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One report can take several tracks, each with its own clocks."),
    )
    reason = forms.CharField(
        label=_("Why it is not a deviation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for “Not a deviation”. The reporter sees it."),
    )
    work_environment = forms.BooleanField(
        label=_("Also a work-environment matter (forward to the work-environment process)"),
        required=False,
    )


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or text"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgNode.objects.none(),
        required=False,
        empty_label=_("All my units"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    track = forms.ChoiceField(label=_("Track"), required=False)
    reported_from = forms.DateField(
        label=_("Reported from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reported_to = forms.DateField(
        label=_("Reported to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["status"].choices = [("", _("All"))] + list(DeviationStatus.choices)
        self.fields["track"].choices = [("", _("All"))] + list(TrackKind.choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("reported_from"), data.get("reported_to")
        if start and end and end < start:
            self.add_error("reported_to", _("The end date is before the start date."))
        return data
