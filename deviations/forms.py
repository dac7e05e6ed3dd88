from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.free_text import FreeTextMixin
from core.widgets import QuickNodeChoiceField
from deviations.categories import categories_for, categories_for_register
from deviations.models import DeviationStatus, EventCategory
from legal.rules import TrackKind
from organisation.models import OrgNode

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# The register filter's value for reports with no kind of event (no code can take it: codes are
# slugs).
NOT_STATED = "~none"
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


def category_field():
    return forms.ModelChoiceField(
        label=_("Kind of event"),
        queryset=EventCategory.objects.none(),
        required=False,
        empty_label=_("Not stated"),
        help_text=_("For the statistics. The reporter's choice, if any, is preselected."),
    )


def offer_categories(field, deviation):
    """The categories of the report's unit, and the one it has even if no longer offered there
    (taken out of use, or the unit's law areas changed): keeping it is never refused."""
    offered = [c.pk for c in categories_for(deviation.unit)]
    if deviation.category_id:
        offered.append(deviation.category_id)
    field.queryset = EventCategory.objects.filter(pk__in=offered)
    field.initial = deviation.category_id


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
    category = category_field()
    # Empty: as recorded (the report time unless someone changed it).
    aware_at = aware_field(required=False)

    def __init__(self, *args, deviation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deviation is not None:
            self.fields["aware_at"].initial = _aware_initial(deviation)
            offer_categories(self.fields["category"], deviation)


class CategoryForm(forms.Form):
    """Correct the kind of event after classification."""

    category = category_field()

    def __init__(self, *args, deviation, **kwargs):
        super().__init__(*args, **kwargs)
        offer_categories(self.fields["category"], deviation)


class AwareForm(forms.Form):
    """Correct when the organisation became aware, after classification."""

    aware_at = aware_field(required=True)

    def __init__(self, *args, deviation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aware_at"].initial = _aware_initial(deviation)


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or text"), required=False)
    unit = QuickNodeChoiceField(
        label=_("Unit"),
        queryset=OrgNode.objects.none(),
        required=False,
        empty_label=_("All my units"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    track = forms.ChoiceField(label=_("Track"), required=False)
    category = forms.ChoiceField(label=_("Kind of event"), required=False)
    reported_from = forms.DateField(
        label=_("Reported from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reported_to = forms.DateField(
        label=_("Reported to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, units, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

        # By code, so that a link to a filtered list reads well and survives a reload of the
        # catalogue; "none" is the reports whose kind was never stated.
        # Read only when the list is drawn or a kind is asked for: a start-page figure that
        # filters by status alone costs no query for it.
        # Read once: validating and drawing the filter both ask for the list.
        read = []

        def choices():
            if not read:
                categories = categories_for_register(user) if user is not None else []
                read.append(
                    [
                        ("", _("All")),
                        (NOT_STATED, _("Not stated")),
                        *((c.code, c.name) for c in categories),
                    ]
                )
            return read[0]

        self.fields["category"].choices = choices
        self.fields["status"].choices = [("", _("All"))] + list(DeviationStatus.choices)
        self.fields["track"].choices = [("", _("All"))] + list(TrackKind.choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("reported_from"), data.get("reported_to")
        if start and end and end < start:
            self.add_error("reported_to", _("The end date is before the start date."))
        return data
