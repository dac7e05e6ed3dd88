import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from actions.models import MANAGE, VIEW, Action, EffectOutcome, Status
from actions.services import possible_owners
from core.free_text import FreeTextMixin
from organisation.models import OrgNode

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TodayOrLaterInput(forms.DateInput):
    """A date picker that offers no day before today (the day it is shown)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["min"] = timezone.localdate().isoformat()
        return context


class NewDueDateField(forms.DateField):
    """The due date of a new action, wherever one is made (the action list, an investigation,
    a decided measure): today or later. The server refuses an earlier day, whatever the
    browser let through."""

    widget = TodayOrLaterInput
    default_error_messages = {
        "past": _("The due date has already passed. Choose today or a later date."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Due date"))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value < timezone.localdate():
            raise forms.ValidationError(self.error_messages["past"], code="past")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.title})" if obj.title else name


def manageable_units(actor):
    return OrgNode.objects.visible_to(actor, MANAGE).filter(is_active=True).order_by("path")


class ActionForm(FreeTextMixin, forms.Form):
    """Create or edit an action. The units are those where the actor may manage actions, the
    owners the people the actor sees there."""

    free_text_fields = ("title", "description")

    unit = UnitChoiceField(label=_("Responsible unit"), queryset=OrgNode.objects.none())
    title = forms.CharField(
        label=_("What is to be done"),
        max_length=200,
        help_text=_("One action, stated so that one can tell when it is done."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Background, how it is to be done. No names of service users."),
    )
    owner = OwnerChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        help_text=_("The person who sees to it that the action is carried out."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE_WIDGET)
    planned_effect_check_date = forms.DateField(
        label=_("Planned effect check"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("When to check whether the action had the intended effect."),
    )

    def __init__(self, *args, actor, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.action = action
        units = manageable_units(actor)
        owners = possible_owners(actor)
        if action is not None:
            # The current unit and owner stay choosable even if outside today's lists.
            units = (units | OrgNode.objects.filter(pk=action.unit_id)).distinct()
            owners = (owners | User.objects.filter(pk=action.owner_id)).distinct()
        self.fields["unit"].queryset = units
        self.fields["owner"].queryset = owners.order_by("last_name", "first_name", "username")
        if action is None:
            self.fields["due_date"] = NewDueDateField()

    def clean(self):
        cleaned = super().clean()
        due, check = cleaned.get("due_date"), cleaned.get("planned_effect_check_date")
        self.warnings = []
        if due and self.action is not None and due != self.action.due_date:
            self._warn_if_past(due)
        if due and check and check < due:
            self.add_error(
                "planned_effect_check_date",
                _("The effect can only be checked after the action is due."),
            )
        return cleaned

    def _warn_if_past(self, due):
        """An edit that moves the due date into the past is saved with a warning: the action
        is overdue at once (a new action refuses such a date: NewDueDateField)."""
        if due < timezone.localdate():
            self.warnings.append(
                _("The due date %(date)s has already passed: the action is overdue from now on.")
                % {"date": due.isoformat()}
            )


class ActionCreateForm(ActionForm):
    form_token = forms.UUIDField(widget=forms.HiddenInput)
    follow_up_of = forms.ModelChoiceField(
        queryset=Action.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
        self.fields["follow_up_of"].queryset = Action.objects.visible_to(self.actor, MANAGE)


class TransitionForm(FreeTextMixin, forms.Form):
    free_text_fields = ("reason",)
    to = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EffectCheckForm(FreeTextMixin, forms.Form):
    free_text_fields = ("result",)
    checked_on = forms.DateField(label=_("Date of the check"), widget=DATE_WIDGET)
    outcome = forms.ChoiceField(
        label=_("Did the action have the intended effect?"),
        choices=EffectOutcome.choices,
        widget=forms.RadioSelect,
    )
    result = forms.CharField(
        label=_("Result"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was checked, how, and what it showed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("checked_on", timezone.localdate())


class ActionFilterForm(forms.Form):
    """The balanslista's filters; an empty form shows the open actions."""

    OPEN = ""
    ALL = "all"

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(OPEN, _("Open (not yet effect-checked)")), *Status.choices, (ALL, _("All"))],
    )
    unit = UnitChoiceField(
        label=_("Unit"),
        required=False,
        queryset=OrgNode.objects.none(),
        empty_label=_("All units you can see"),
        help_text=_("Includes the units below."),
    )
    mine = forms.BooleanField(label=_("Only my actions"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgNode.objects.visible_to(user, VIEW).order_by("path")

    def filter(self, queryset, user):
        if not self.is_valid():
            return queryset.open()
        data = self.cleaned_data
        status = data.get("status")
        if status == self.OPEN:
            queryset = queryset.open()
        elif status != self.ALL:
            queryset = queryset.filter(status=status)
        if data.get("unit"):
            queryset = queryset.filter(unit__path__startswith=data["unit"].path)
        if data.get("mine"):
            queryset = queryset.filter(owner=user)
        if data.get("overdue"):
            queryset = queryset.overdue()
        return queryset
