from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.free_text import FreeTextMixin
from inspections.forms.common import DATE_WIDGET, NodeChoiceField, OnceMixin, PersonChoiceField
from inspections.models import ChecklistTemplate, Method
from inspections.models.checklist import MANAGE
from inspections.models.plan import Frequency
from inspections.services.plan import responsible_candidates
from organisation.models import OrgNode


def manageable_nodes(user):
    return OrgNode.objects.visible_to(user, MANAGE).filter(is_active=True).order_by("path")


class PlanForm(forms.Form):
    unit = NodeChoiceField(label=_("Unit"), queryset=OrgNode.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = manageable_nodes(user)
        self.initial.setdefault("year", timezone.localdate().year)


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.unit.name})"


class ItemForm(FreeTextMixin, OnceMixin, forms.Form):
    free_text_fields = ("subject",)
    template = TemplateChoiceField(label=_("Checklist"), queryset=ChecklistTemplate.objects.none())
    subject = forms.CharField(
        label=_("What is checked"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the checklist's title."),
    )
    method = forms.ModelChoiceField(
        label=_("Method"),
        queryset=Method.objects.all(),
        required=False,
        empty_label=_("(the checklist's method)"),
    )
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    responsible = PersonChoiceField(label=_("Responsible"), queryset=User.objects.none())
    first_due = forms.DateField(label=_("First due date"), widget=DATE_WIDGET)
    sample_size = forms.IntegerField(
        label=_("Sample size"),
        required=False,
        min_value=1,
        max_value=500,
        help_text=_("For a record review: how many records are drawn."),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_token()
        paths = [plan.unit.path[: i + 1] for i, ch in enumerate(plan.unit.path) if ch == "/"]
        self.fields["template"].queryset = (
            ChecklistTemplate.objects.filter(is_active=True, unit__path__in=paths)
            .select_related("unit")
            .order_by("title", "pk")
        )
        self.fields["responsible"].queryset = responsible_candidates(plan.unit)


class ItemEditForm(FreeTextMixin, forms.Form):
    free_text_fields = ("subject",)
    subject = forms.CharField(label=_("What is checked"), max_length=200, required=False)
    responsible = PersonChoiceField(label=_("Responsible"), queryset=User.objects.none())
    sample_size = forms.IntegerField(
        label=_("Sample size"), required=False, min_value=1, max_value=500
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = (
            (responsible_candidates(item.plan.unit) | User.objects.filter(pk=item.responsible_id))
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
