from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.free_text import FreeTextMixin
from inspections.forms.common import NodeChoiceField, OnceMixin
from inspections.forms.plan import manageable_nodes
from inspections.models import Method
from legal.models import RegulationSection
from organisation.models import OrgNode
from routines.models import Routine


class TemplateForm(OnceMixin, FreeTextMixin, forms.Form):
    free_text_fields = ("title", "purpose", "questions")

    unit = NodeChoiceField(
        label=_("Level"),
        queryset=OrgNode.objects.none(),
        help_text=_("The checklist can be used here and in every unit below."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("What is checked"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    method = forms.ModelChoiceField(label=_("Method"), queryset=Method.objects.all())
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One question a line."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_token()
        self.fields["unit"].queryset = manageable_nodes(user)

    def clean_questions(self):
        lines = [" ".join(line.split()) for line in self.cleaned_data["questions"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Write at least one question."))
        return lines


class AdaptForm(OnceMixin, FreeTextMixin, forms.Form):
    free_text_fields = ("reason",)

    unit = NodeChoiceField(label=_("For the unit"), queryset=OrgNode.objects.none())
    reason = forms.CharField(
        label=_("Why is it adapted?"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, template, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_token()
        self.fields["unit"].queryset = (
            manageable_nodes(user)
            .filter(path__startswith=template.unit.path)
            .exclude(pk=template.unit_id)
        )


class QuestionForm(FreeTextMixin, forms.Form):
    free_text_fields = ("text", "guidance", "reason")

    text = forms.CharField(label=_("Question"), max_length=400)
    guidance = forms.CharField(
        label=_("Guidance"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    routine = forms.ModelChoiceField(
        label=_("Routine"), required=False, queryset=Routine.objects.none()
    )
    legal_section = forms.ModelChoiceField(
        label=_("Legal reference"), required=False, queryset=RegulationSection.objects.none()
    )
    reason = forms.CharField(
        label=_("Why is it changed?"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, template, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = Q(pk=question.routine_id) if question and question.routine_id else Q(pk__in=[])
        self.fields["routine"].queryset = (
            (
                Routine.objects.visible_to(user).filter(withdrawn_at__isnull=True)
                | Routine.objects.filter(chosen)
            )
            .distinct()
            .order_by("title")
        )
        self.fields["legal_section"].queryset = RegulationSection.objects.select_related(
            "regulation"
        ).order_by("regulation__short_name", "order", "reference")
        if question is None:
            del self.fields["reason"]
