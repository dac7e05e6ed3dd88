from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.crypto import normalise_name
from privacy.services import personal_number_in

MIN_NAME_LETTERS = 2


class SearchForm(forms.Form):
    term = forms.CharField(
        label=_("Personal identity number or name"),
        max_length=200,
        help_text=_(
            "Twelve digits find exactly (YYYYMMDD-XXXX). A name is found only as written in the "
            "protected field, in any word order and case."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_term(self):
        term = self.cleaned_data["term"].strip()
        digits = sum(c.isdigit() for c in term)
        if digits:
            if not personal_number_in(term):
                raise ValidationError(
                    _(
                        "Give one valid personal identity number: check the date and the last "
                        "digit. Search with a name without digits."
                    ),
                    code="invalid_number",
                )
        elif len(normalise_name(term).replace(" ", "")) < MIN_NAME_LETTERS:
            raise ValidationError(
                _("Write a name, or a personal identity number."), code="too_short"
            )
        return term
