from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from audit.models import AccessLog
from core.free_text import FreeTextMixin


class ContentTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        model = obj.model_class()
        return capfirst(model._meta.verbose_name) if model else obj.model


class AccessLogSearchForm(forms.Form):
    """Search the access log by person, by record and by date range (all optional)."""

    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=100,
        help_text=_("Name or username, or part of it."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    user = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    content_type = ContentTypeChoiceField(
        label=_("Kind of record"),
        required=False,
        queryset=ContentType.objects.none(),
        empty_label=_("All kinds"),
    )
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the kinds of record that have been read: the list stays short and relevant.
        self.fields["content_type"].queryset = ContentType.objects.filter(
            pk__in=AccessLog.objects.values("content_type_id")
        ).order_by("app_label", "model")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filter(self, rows):
        """The rows matching the search; call after is_valid()."""
        data = self.cleaned_data
        if data.get("user"):
            rows = rows.filter(user_id=data["user"])
        for word in (data.get("person") or "").split():
            rows = rows.filter(
                Q(user_repr__icontains=word)
                | Q(user__username__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
            )
        if data.get("content_type"):
            rows = rows.filter(content_type=data["content_type"])
        if data.get("object_id"):
            rows = rows.filter(object_id=data["object_id"].strip())
        if data.get("date_from"):
            rows = rows.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            rows = rows.filter(at__date__lte=data["date_to"])
        return rows


def _last_month():
    import datetime

    from django.utils import timezone

    first_of_this = timezone.localdate().replace(day=1)
    end = first_of_this - datetime.timedelta(days=1)
    return end.replace(day=1), end


class ReviewPeriodForm(forms.Form):
    """The period (and, optionally, the person) whose reads are reviewed."""

    period_from = forms.DateField(
        label=_("From date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_to = forms.DateField(label=_("To date"), widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data=None, **kwargs):
        if data is not None and not data.get("period_from") and not data.get("period_to"):
            start, end = _last_month()
            data = data.copy()
            data["period_from"], data["period_to"] = start.isoformat(), end.isoformat()
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and start > end:
            self.add_error("period_to", _("The end date is before the start date."))
        return cleaned


class ReviewCommentForm(FreeTextMixin, forms.Form):
    free_text_fields = ("comment",)
    comment = forms.CharField(
        label=_("What the review found"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what you checked and whether any read needs to be followed up."),
    )
