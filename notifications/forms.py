from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import ArrivalChoice


class ArrivalSettingForm(forms.Form):
    """When the person hears of a new report at a unit they classify reports for."""

    choice = forms.ChoiceField(
        label=_("E-mail about new reports"),
        choices=ArrivalChoice.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A report where the reporter suspects lex Sarah, lex Maria or a personal data breach "
            "is always sent at once. The e-mail gives only the report's reference and unit."
        ),
        error_messages={
            "required": _("Choose one of the alternatives."),
            "invalid_choice": _("Choose one of the alternatives."),
        },
    )
