"""The forms of the risk analyses: the register's filter, the analysis, participants, events,
the residual score, measures, moves and the review."""

import uuid

from django import forms
from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from actions.forms import NewDueDateField, OwnerChoiceField, UnitChoiceField
from actions.services import possible_owners
from core.free_text import FreeTextMixin
from legal.health_care import health_care_q
from organisation.models import OrgNode
from risks.models import (
    MANAGE,
    OPEN_STATUSES,
    ParticipantFunction,
    Status,
    SubjectKind,
)
from risks.rules import required_functions_met_q
from risks.services.analysis import responsible_candidates

FUNCTIONS_PRESENT = "present"
FUNCTIONS_MISSING = "missing"

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def manageable_units(actor):
    return OrgNode.objects.visible_to(actor, MANAGE).filter(is_active=True).order_by("path")


class RegisterFilterForm(forms.Form):
    subject_kind = forms.ChoiceField(
        label=_("What is analysed"),
        required=False,
        choices=[("", _("All kinds"))] + list(SubjectKind.choices),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(Status.choices)
    )
    overdue = forms.BooleanField(label=_("Only past their review date"), required=False)
    waiting = forms.BooleanField(label=_("Only those waiting for me"), required=False)
    mine = forms.BooleanField(label=_("Only those I am responsible for"), required=False)
    # The analyses of one unit (the unit-closing page links here with ?unit=<pk>).
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The statistics page links here with ?year=&node=&subject_kind=&functions=: the analyses
    # made that year in the node's subtree, with or without the required functions.
    year = forms.IntegerField(label=_("Year made"), required=False, min_value=1900, max_value=2999)
    functions = forms.ChoiceField(
        label=_("Required functions"),
        required=False,
        choices=[
            ("", _("With or without")),
            (FUNCTIONS_PRESENT, _("All required functions took part")),
            (FUNCTIONS_MISSING, _("A required function is missing")),
        ],
    )
    node = forms.IntegerField(required=False, widget=forms.HiddenInput)
    health_care = forms.BooleanField(
        label=_("Only health care"),
        required=False,
        help_text=_("Units that have stated the health-care law (HSL, PSL), and those below."),
    )

    def filter(self, queryset, user):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["subject_kind"]:
            queryset = queryset.filter(subject_kind=data["subject_kind"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["overdue"]:
            queryset = queryset.overdue()
        if data["waiting"]:
            queryset = queryset.filter(responsible=user, status__in=OPEN_STATUSES)
        if data["mine"]:
            queryset = queryset.filter(responsible=user)
        if data["unit"]:
            queryset = queryset.filter(unit_id=data["unit"])
        if data["node"]:
            path = OrgNode.objects.filter(pk=data["node"]).values("path")[:1]
            queryset = queryset.filter(unit__path__startswith=Subquery(path))
        if data["year"]:
            queryset = queryset.filter(created_at__year=data["year"])
        if data["health_care"]:
            queryset = queryset.filter(health_care_q())
        if data["functions"]:
            met = required_functions_met_q()
            if data["functions"] == FUNCTIONS_PRESENT:
                queryset = queryset.filter(met)
            else:
                queryset = queryset.exclude(met)
        return queryset


class PersonChoiceField(OwnerChoiceField):
    pass


class AnalysisForm(FreeTextMixin, forms.Form):
    free_text_fields = ("title", "description", "conclusion")

    title = forms.CharField(label=_("Title"), max_length=200)
    subject_kind = forms.ChoiceField(label=_("What is analysed"), choices=SubjectKind.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is analysed, why now, and what is left out. No names of service users."),
    )
    responsible = PersonChoiceField(
        label=_("Responsible"),
        queryset=User.objects.none(),
        help_text=_("The person who leads the analysis and sees to its review."),
    )
    health_care_in_scope = forms.BooleanField(
        label=_("Health care is in scope"),
        required=False,
        help_text=_("Then MAS or a nurse takes part."),
    )
    work_environment_in_scope = forms.BooleanField(
        label=_("The work environment is in scope"),
        required=False,
        help_text=_("Then a safety representative takes part."),
    )
    review_on = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("When the analysis is to be checked again. Needed before it is decided."),
    )
    conclusion = forms.CharField(
        label=_("Conclusion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, actor, analysis=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = responsible_candidates(actor) | User.objects.filter(pk=actor.pk)
        if analysis is not None:
            people = people | User.objects.filter(pk=analysis.responsible_id)
        self.fields["responsible"].queryset = people.distinct().order_by(
            "last_name", "first_name", "username"
        )
        if analysis is None:
            del self.fields["conclusion"]


class AnalysisCreateForm(AnalysisForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgNode.objects.none())
    process = forms.IntegerField(widget=forms.HiddenInput, required=False)
    origin = forms.CharField(widget=forms.HiddenInput, required=False)
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    field_order = ["unit", "title", "subject_kind", "description", "responsible"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["unit"].queryset = manageable_units(actor)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
            self.initial.setdefault("responsible", actor.pk)


class ParticipantForm(FreeTextMixin, forms.Form):
    free_text_fields = ("name",)
    name = forms.CharField(label=_("Name"), max_length=120)
    function = forms.ModelChoiceField(
        label=_("Function"), queryset=ParticipantFunction.objects.all()
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())


def _steps(labels):
    return [(str(i), f"{i} – {label}") for i, label in enumerate(labels, start=1)]


class EventForm(FreeTextMixin, forms.Form):
    free_text_fields = ("description", "cause")
    description = forms.CharField(label=_("What could happen"), max_length=300)
    cause = forms.CharField(
        label=_("Possible causes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), coerce=int, choices=())
    consequence = forms.TypedChoiceField(label=_("Consequence"), coerce=int, choices=())
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, matrix, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["likelihood"].choices = _steps(matrix.likelihood_labels)
        self.fields["consequence"].choices = _steps(matrix.consequence_labels)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())


class ResidualForm(forms.Form):
    residual_likelihood = forms.TypedChoiceField(
        label=_("Likelihood after the measures"), coerce=int, choices=()
    )
    residual_consequence = forms.TypedChoiceField(
        label=_("Consequence after the measures"), coerce=int, choices=()
    )

    def __init__(self, *args, matrix, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residual_likelihood"].choices = _steps(matrix.likelihood_labels)
        self.fields["residual_consequence"].choices = _steps(matrix.consequence_labels)


class MeasureForm(FreeTextMixin, forms.Form):
    free_text_fields = ("title", "description")
    event = forms.ModelChoiceField(
        label=_("For the event"),
        required=False,
        queryset=None,
        empty_label=_("The analysis as a whole"),
    )
    title = forms.CharField(
        label=_("What is to be done"),
        max_length=200,
        help_text=_("One action, stated so that one can tell when it is done."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = OwnerChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_date = NewDueDateField()
    planned_effect_check_date = forms.DateField(
        label=_("Planned effect check"), required=False, widget=DATE_WIDGET
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = analysis.events.all()
        self.fields["owner"].queryset = possible_owners(actor).order_by(
            "last_name", "first_name", "username"
        )
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())


class MoveForm(FreeTextMixin, forms.Form):
    free_text_fields = ("reason",)
    to = forms.ChoiceField(choices=Status.choices)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(FreeTextMixin, forms.Form):
    free_text_fields = ("note",)
    next_review_on = forms.DateField(label=_("Next review date"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("What the review showed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
