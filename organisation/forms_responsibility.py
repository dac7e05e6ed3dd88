from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.free_text import FreeTextMixin

MAX_DUTIES = 60
MAX_DUTY_LENGTH = 1000


class DutiesForm(FreeTextMixin, forms.Form):
    """The duties of one role, one per line; an empty text removes them all."""

    free_text_fields = ("duties",)

    duties = forms.CharField(
        label=_("Duties, one per line"),
        help_text=_(
            "Write each duty on a line of its own, in the order they should be listed. "
            "Empty lines are ignored. Leave the field empty to remove all duties of the role."
        ),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
    )

    def clean_duties(self):
        lines = [line.strip() for line in self.cleaned_data["duties"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_DUTIES:
            raise forms.ValidationError(
                ngettext_lazy(
                    "At most %(max)d duty per role.",
                    "At most %(max)d duties per role.",
                    "max",
                )
                % {"max": MAX_DUTIES},
                code="too_many",
            )
        too_long = [i for i, line in enumerate(lines, start=1) if len(line) > MAX_DUTY_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("Duty %(line)s is longer than %(max)s characters: split it in two."),
                code="too_long",
                params={"line": too_long[0], "max": MAX_DUTY_LENGTH},
            )
        return lines
