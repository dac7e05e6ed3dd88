"""Form helpers shared by the modules' views."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.free_text import FreeTextMixin
from core.widgets import TreeNodeChoiceField


class ReasonForm(FreeTextMixin, forms.Form):
    """Why a thing is done (taken off a plan, out of use, returned): kept with the record."""

    free_text_fields = ("reason",)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class BoardDecisionForm(forms.Form):
    """A board's decision as the minutes record it: which board, the date, the paragraph (§)
    and the registry number (Dnr). For what a board approves (an analysis, a yearly report)."""

    decision_body = forms.CharField(
        label=_("Decided by (board)"),
        max_length=120,
        help_text=_("E.g. Socialnämnden."),
    )
    decision_date = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    paragraph = forms.CharField(
        label=_("Paragraph (§)"), max_length=40, help_text=_("The paragraph of the minutes.")
    )
    registry_number = forms.CharField(
        label=_("Registry number (Dnr)"), max_length=60, help_text=_("E.g. SN 2023-511.")
    )


def add_service_errors(form, error):
    """Put a service's ValidationError on the form: on its field when the form has one, else
    on the form as a whole (Django's add_error refuses a field the form does not have)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PartAndYearForm(forms.Form):
    """The choice of a statistics page: a part of the organisation (`nodes`, the ones the person
    may see) and one of the last `years_back` years."""

    node = TreeNodeChoiceField(
        label=_("Part of the organisation"),
        queryset=None,
        required=False,
        empty_label=None,
        help_text=_("Includes the units below."),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, *args, nodes, this_year, years_back=10, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["year"].choices = [
            (y, str(y)) for y in range(this_year, this_year - years_back, -1)
        ]
