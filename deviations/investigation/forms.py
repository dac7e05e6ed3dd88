"""The investigation page's forms: the record, a timeline entry, an action from the track."""

from django import forms
from django.utils.translation import gettext_lazy as _

from actions.forms import NewDueDateField
from core.free_text import FreeTextMixin
from deviations.investigation.models import Cause, Investigation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The investigation's prose: text areas, and never a personal identity number.
TEXTS = (
    "participants",
    "cause_analysis",
    "person_view",
    "not_informed_reason",
    "conclusion",
    "decision",
    "no_action_reason",
)


class InvestigationForm(FreeTextMixin, forms.ModelForm):
    free_text_fields = TEXTS
    causes = forms.ModelMultipleChoiceField(
        queryset=Cause.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Causes at system level"),
    )

    class Meta:
        model = Investigation
        fields = [
            "participants",
            "causes",
            "cause_analysis",
            "person_informed_on",
            "person_heard_on",
            "person_view",
            "not_informed_reason",
            "conclusion",
            "decision",
            "no_action_reason",
        ]
        widgets = {
            "person_informed_on": DATE,
            "person_heard_on": DATE,
            **{name: forms.Textarea(attrs={"rows": 3}) for name in TEXTS},
        }


class TimelineForm(FreeTextMixin, forms.Form):
    free_text_fields = ("text",)
    at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2}))


class TrackActionForm(FreeTextMixin, forms.Form):
    free_text_fields = ("title",)
    title = forms.CharField(label=_("What is to be done"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_date = NewDueDateField()
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
