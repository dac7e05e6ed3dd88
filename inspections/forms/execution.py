from django import forms
from django.utils.translation import gettext_lazy as _

from actions.services import possible_owners
from core.free_text import FreeTextMixin
from inspections.forms.common import DATE_WIDGET, OnceMixin, PersonChoiceField
from inspections.models import Question


class StartForm(OnceMixin, forms.Form):
    performed_on = forms.DateField(label=_("Carried out on"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_token()


class SampleForm(FreeTextMixin, forms.Form):
    free_text_fields = ("population",)
    population = forms.CharField(
        label=_("Case numbers or pseudonymised ids to draw from"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One a line, or separated by commas. Never personal identity numbers."),
    )
    upload = forms.FileField(
        label=_("Or upload a list (text or CSV)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.csv,text/plain,text/csv"}),
    )
    size = forms.IntegerField(label=_("Number of records to draw"), min_value=1, max_value=500)
    seed = forms.IntegerField(
        label=_("Seed (to repeat an earlier draw)"),
        required=False,
        min_value=0,
        help_text=_("Leave empty: a new seed is chosen and stored."),
    )

    MAX_BYTES = 1_000_000

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        text = data.get("population") or ""
        if upload:
            if upload.size > self.MAX_BYTES:
                self.add_error("upload", _("The file is too large."))
                return data
            raw = upload.read()
            try:
                text += "\n" + raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text += "\n" + raw.decode("latin-1")
        if not text.strip():
            self.add_error("population", _("Give the records to draw from."))
        data["text"] = text
        return data


class FindingForm(FreeTextMixin, forms.Form):
    free_text_fields = ("description",)
    description = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))


class FindingActionForm(OnceMixin, FreeTextMixin, forms.Form):
    free_text_fields = ("title", "description")

    title = forms.CharField(label=_("What is to be done"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = PersonChoiceField(label=_("Owner"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), widget=DATE_WIDGET)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_token()
        self.fields["owner"].queryset = possible_owners(actor).order_by(
            "last_name", "first_name", "username"
        )


class CloseFindingForm(FreeTextMixin, forms.Form):
    free_text_fields = ("reason",)
    reason = forms.CharField(
        label=_("Why is no action needed?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class QuestionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.template.title}: {obj.text}"


class FollowUpForm(forms.Form):
    question = QuestionChoiceField(
        label=_("Checklist and question"), queryset=Question.objects.none()
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = questions
