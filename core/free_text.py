"""Keeping personal identity numbers out of free text, for every module's forms.

A form lists its free-text fields once, in `free_text_fields`; `FreeTextMixin` refuses any of
them that carries a personal identity number, with a message asking the writer to take it out.
The form is shown again with everything typed, so only the number has to go. A field outside a
mixin form can use the validator `no_personal_number` instead.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.pin import find_personal_numbers

MESSAGE = _(
    "This text seems to contain a personal identity number. Remove it: personal identity numbers "
    "must not be written here. Everything else you wrote is kept. If it is a phone number, write "
    "it with a dash or spaces (070-123 45 67)."
)


def no_personal_number(value, message=MESSAGE):
    """Validator: refuse a text carrying a personal identity number."""
    if isinstance(value, (list, tuple)):  # a text cleaned into lines
        value = "\n".join(v for v in value if isinstance(v, str))
    if isinstance(value, str) and find_personal_numbers(value):
        raise ValidationError(message, code="personal_number")


class FreeTextMixin:
    """Put before the Django form class: `class MyForm(FreeTextMixin, forms.Form)`.

    `free_text_fields` names the fields people type prose into; `personal_number_message` may
    say where the number belongs instead (the report form points to the protected field).
    Fields added in `__init__` are checked too when their name is listed.
    """

    free_text_fields = ()
    personal_number_message = MESSAGE

    def get_free_text_fields(self):
        return self.free_text_fields

    def clean(self):
        data = super().clean()
        for name in self.get_free_text_fields():
            if name not in self.fields or name not in data:
                continue
            try:
                no_personal_number(data[name], self.personal_number_message)
            except ValidationError as error:
                self.add_error(name, error)
        return data
