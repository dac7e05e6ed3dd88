from django import forms
from django.utils.translation import gettext_lazy as _

from core.free_text import FreeTextMixin
from organisation.models import ALLOWED_CHILD_KINDS, NodeKind, OrgNode, Provider, Service


class NodeForm(FreeTextMixin, forms.ModelForm):
    free_text_fields = (
        "name",
        "description",
        "street_address",
        "postcode",
        "town",
        "dpo_name",
        "dpo_phone",
    )

    class Meta:
        model = OrgNode
        fields = [
            "kind",
            "name",
            "code",
            "description",
            "street_address",
            "postcode",
            "town",
            "dpo_name",
            "dpo_email",
            "dpo_phone",
        ]
        help_texts = {
            "dpo_name": _(
                "Set on the board or on a provider's node: the units below it use the same."
            ),
        }

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent if parent is not None else self.instance.parent
        allowed = ALLOWED_CHILD_KINDS[self.parent.kind if self.parent else None]
        self.fields["kind"].choices = [(k.value, k.label) for k in NodeKind if k in allowed]


class ServicesForm(forms.Form):
    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Services delivered"),
    )


class ProviderForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = [
            "kind",
            "name",
            "organisation_number",
            "contract_reference",
            "contract_start",
            "contract_end",
        ]
        widgets = {
            "contract_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "contract_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("contract_start"), data.get("contract_end")
        if start and end and end < start:
            self.add_error("contract_end", _("The contract cannot end before it starts."))
        return data
