from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.free_text import FreeTextMixin
from deviations.models import DeviationStatus
from legal.rules import TrackKind
from organisation.models import OrgNode

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
AWARE_HELP = _(
    "The report time unless the organisation knew earlier or later. The 72 hours for notifying "
    "a personal data breach to IMY count from here."
)


def aware_field(required):
    return forms.DateTimeField(
        label=_("When the organisation became aware"),
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=AWARE_HELP,
        error_messages={"required": _("Give the date and time the organisation became aware.")},
    )


def _aware_initial(deviation):
    return timezone.localtime(deviation.aware_at).replace(second=0, microsecond=0)


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
    # Empty: as recorded (the report time unless someone changed it).
    aware_at = aware_field(required=False)

    def __init__(self, *args, deviation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deviation is not None:
            self.fields["aware_at"].initial = _aware_initial(deviation)


class AwareForm(forms.Form):
    """Correct when the organisation became aware, after classification."""

    aware_at = aware_field(required=True)

    def __init__(self, *args, deviation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aware_at"].initial = _aware_initial(deviation)


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
