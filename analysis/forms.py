import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from actions.forms import NewDueDateField, OwnerChoiceField, UnitChoiceField, manageable_units
from actions.services import possible_owners
from analysis import stats
from analysis.models import MANAGE, AggregatedAnalysis
from core.free_text import FreeTextMixin
from core.widgets import QuickSelect, ValueChoices
from legal.rules import TrackKind
from organisation.models import OrgNode

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NodeChoiceField(forms.ModelChoiceField):
    """Units indented by their level in the tree."""

    widget = QuickSelect
    iterator = ValueChoices
    label_fields = ("depth", "name")

    def label_from_instance(self, obj):
        return self.label_from_values(obj.depth, obj.name)

    def label_from_values(self, depth, name):
        return "\u00a0\u00a0" * depth + name


def _check_period(form, cleaned, start_name, end_name):
    start, end = cleaned.get(start_name), cleaned.get(end_name)
    if start and end:
        if end < start:
            form.add_error(end_name, _("The period ends before it starts."))
        elif len(stats.months_between(start, end)) > stats.MAX_MONTHS:
            form.add_error(
                end_name,
                _("A period can be at most %(months)s months long.") % {"months": stats.MAX_MONTHS},
            )


class StatisticsFilterForm(forms.Form):
    """Period, part of the organisation and track; empty fields mean this year, everything."""

    period_from = forms.DateField(label=_("Reported from"), required=False, widget=DATE)
    period_to = forms.DateField(label=_("Reported to"), required=False, widget=DATE)
    scope = NodeChoiceField(
        label=_("Part of the organisation"),
        queryset=OrgNode.objects.none(),
        required=False,
        empty_label=_("All units I can see"),
        help_text=_("Includes the units below."),
    )
    track = forms.ChoiceField(label=_("Track"), required=False)

    def __init__(self, *args, nodes, node_list=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("period_from", stats.default_period()[0])
            self.initial.setdefault("period_to", stats.default_period()[1])
        scope = self.fields["scope"]
        scope.queryset = nodes
        if node_list is not None:
            # The nodes are already read: draw the options from them, not from a new query.
            # Given to the widget as they are (the field would normalise hundreds of them
            # again); the field checks a choice against its queryset, not these.
            scope.widget.choices = [("", scope.empty_label)] + [
                (node.pk, scope.label_from_instance(node)) for node in node_list
            ]
        self.fields["track"].choices = [("", _("All tracks"))] + list(TrackKind.choices)

    def clean(self):
        cleaned = super().clean()
        default_from, default_to = stats.default_period()
        if not cleaned.get("period_from") and "period_from" not in self.errors:
            cleaned["period_from"] = default_from
        if not cleaned.get("period_to") and "period_to" not in self.errors:
            cleaned["period_to"] = default_to
        _check_period(self, cleaned, "period_from", "period_to")
        return cleaned


class AnalysisForm(FreeTextMixin, forms.ModelForm):
    free_text_fields = ("title", "findings")
    scope = NodeChoiceField(
        label=_("Part of the organisation"),
        queryset=OrgNode.objects.none(),
        help_text=_("The analysis covers this unit and everything below it."),
    )

    class Meta:
        model = AggregatedAnalysis
        fields = ["title", "scope", "period_from", "period_to", "findings"]
        widgets = {
            "period_from": DATE,
            "period_to": DATE,
            "findings": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = OrgNode.objects.visible_to(actor, MANAGE).order_by("path")

    def clean(self):
        cleaned = super().clean()
        _check_period(self, cleaned, "period_from", "period_to")
        return cleaned


class MeasureForm(FreeTextMixin, forms.Form):
    """One organisation-wide measure the board decided: an action in a unit, with an owner."""

    free_text_fields = ("title",)

    title = forms.CharField(label=_("What is to be done"), max_length=200)
    unit = UnitChoiceField(label=_("Responsible unit"), queryset=OrgNode.objects.none())
    owner = OwnerChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_date = NewDueDateField()
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
        self.fields["unit"].queryset = manageable_units(actor)
        self.fields["owner"].queryset = possible_owners(actor).order_by(
            "last_name", "first_name", "username"
        )
