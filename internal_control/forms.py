"""The forms of the internal control pages (views/)."""

import re
import uuid
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import grants
from actions.services import possible_owners
from core.free_text import FreeTextMixin
from internal_control.models import MANAGE, ControlMethod, Frequency, Outcome, Period
from internal_control.services.plans import responsible_candidates
from organisation.models import NodeKind, OrgNode

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TokenMixin:
    """A hidden form token: the same form sent twice makes one record."""

    def add_token(self):
        self.fields["form_token"] = forms.UUIDField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())


def manageable_boards(user):
    """Boards where the person may draft plans: at, above or within their internal_control.manage
    grants."""
    held = grants(user, MANAGE)
    roots = {int(g.path[:8]) for g in held}
    boards = OrgNode.objects.filter(kind=NodeKind.BOARD, is_active=True, pk__in=roots)
    return [b for b in boards if any(g.covers(b) or g.path.startswith(b.path) for g in held)]


class DatesField(forms.CharField):
    """Dates written as YYYY-MM-DD, separated by commas, spaces or new lines."""

    def to_python(self, value):
        text = super().to_python(value)
        found = []
        for part in re.split(r"[\s,;]+", text or ""):
            if not part:
                continue
            try:
                found.append(date.fromisoformat(part))
            except ValueError:
                raise forms.ValidationError(
                    _("Write each date as YYYY-MM-DD, for example 2026-04-30."), code="date"
                ) from None
        return sorted(set(found))

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return ", ".join(d.isoformat() for d in value)
        return value


class PlanCreateForm(TokenMixin, forms.Form):
    board = forms.ModelChoiceField(label=_("Board"), queryset=OrgNode.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        boards = manageable_boards(user)
        self.fields["board"].queryset = OrgNode.objects.filter(pk__in=[b.pk for b in boards])
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)
            if len(boards) == 1:
                self.initial.setdefault("board", boards[0].pk)
        self.add_token()


class ControlPointForm(FreeTextMixin, TokenMixin, forms.Form):
    free_text_fields = ("what",)

    what = forms.CharField(label=_("What is controlled"), max_length=300)
    method = forms.ModelChoiceField(
        label=_("Method"), queryset=ControlMethod.objects.filter(is_active=True)
    )
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    responsible = forms.ModelChoiceField(label=_("Responsible"), queryset=None)
    reporting_dates = DatesField(
        label=_("Reporting dates"),
        help_text=_("One or more dates, YYYY-MM-DD, separated by commas."),
    )

    def __init__(self, *args, plan, with_token=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = responsible_candidates(plan.board)
        if not self.is_bound:
            self.initial.setdefault("frequency", Frequency.TERTIAL)
            self.initial.setdefault(
                "reporting_dates",
                [date(plan.year, 4, 30), date(plan.year, 8, 31), date(plan.year, 12, 31)],
            )
        if with_token:
            self.add_token()


class DraftRowForm(FreeTextMixin, forms.Form):
    """One event of the yearly analysis in the draft: chosen or not, and how it is controlled."""

    free_text_fields = ("what",)
    chosen = forms.BooleanField(label=_("Make a control point of it"), required=False)
    what = forms.CharField(label=_("What is controlled"), max_length=300, required=False)
    method = forms.ModelChoiceField(
        label=_("Method"), queryset=ControlMethod.objects.filter(is_active=True), required=False
    )
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    responsible = forms.ModelChoiceField(label=_("Responsible"), queryset=None, required=False)

    def __init__(self, *args, event, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["responsible"].queryset = candidates

    def clean(self):
        data = super().clean()
        if data.get("chosen"):
            if not data.get("method"):
                self.add_error("method", _("Choose a method."))
            if not data.get("responsible"):
                self.add_error("responsible", _("Choose who is responsible."))
        return data


def draft_forms(data, *, events, plan, actor):
    """One DraftRowForm per event (prefix "e<pk>"), the high ones chosen at first."""
    candidates = responsible_candidates(plan.board)
    first = candidates.filter(pk=actor.pk).first() or candidates.first()
    method = ControlMethod.objects.filter(is_active=True).first()
    rows = []
    for event in events:
        initial = {
            "chosen": event.is_high,
            "what": event.description,
            "method": method,
            "frequency": Frequency.TERTIAL,
            "responsible": first,
        }
        rows.append(
            DraftRowForm(
                data, prefix=f"e{event.pk}", initial=initial, event=event, candidates=candidates
            )
        )
    return rows


class DecisionForm(FreeTextMixin, forms.Form):
    free_text_fields = ("decision_paragraph", "diary_number")
    decision_paragraph = forms.CharField(
        label=_("Paragraph (§)"), max_length=30, help_text=_("As in the minutes, e.g. 45.")
    )
    diary_number = forms.CharField(
        label=_("Diary number (Dnr)"), max_length=60, help_text=_("E.g. SN 2026/123.")
    )
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE_WIDGET)


class ResultForm(FreeTextMixin, TokenMixin, forms.Form):
    free_text_fields = ("comment", "action_title")

    outcome = forms.ChoiceField(
        label=_("Result"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was controlled and found. No names of service users."),
    )
    action_title = forms.CharField(
        label=_("Action: what is to be done"),
        required=False,
        max_length=200,
        help_text=_("Needed when the result is with remark."),
    )
    action_unit = forms.ModelChoiceField(
        label=_("Action: unit"), queryset=OrgNode.objects.none(), required=False
    )
    action_owner = forms.ModelChoiceField(label=_("Action: owner"), queryset=None, required=False)
    action_due_date = forms.DateField(
        label=_("Action: due date"), required=False, widget=DATE_WIDGET
    )

    def __init__(self, *args, user, point, **kwargs):
        super().__init__(*args, **kwargs)
        board = point.plan.board
        self.fields["action_unit"].queryset = (
            OrgNode.objects.visible_to(user, "actions.manage")
            .filter(path__startswith=board.path, is_active=True)
            .order_by("path")
        )
        self.fields["action_owner"].queryset = possible_owners(user).order_by(
            "last_name", "first_name"
        )
        if not self.is_bound:
            units = list(self.fields["action_unit"].queryset[:1])
            if units:
                self.initial.setdefault("action_unit", units[0].pk)
            self.initial.setdefault("action_owner", user.pk)
        self.add_token()

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.WITH_REMARK:
            for name in ("action_title", "action_unit", "action_owner", "action_due_date"):
                if not data.get(name):
                    self.add_error(name, _("Needed for an action on the remark."))
        return data

    def action(self):
        data = self.cleaned_data
        if data.get("outcome") != Outcome.WITH_REMARK:
            return None
        return {
            "unit": data["action_unit"],
            "title": data["action_title"],
            "owner": data["action_owner"],
            "due_date": data["action_due_date"],
        }


class ReportCreateForm(FreeTextMixin, TokenMixin, forms.Form):
    free_text_fields = ("summary",)

    period = forms.ChoiceField(label=_("Period"), choices=Period.choices)
    summary = forms.CharField(
        label=_("Summary and assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_token()


class FilterForm(forms.Form):
    board = forms.ModelChoiceField(
        label=_("Board"), queryset=OrgNode.objects.filter(kind=NodeKind.BOARD), required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        if self.cleaned_data.get("board"):
            queryset = queryset.filter(board=self.cleaned_data["board"])
        if self.cleaned_data.get("year"):
            queryset = queryset.filter(year=self.cleaned_data["year"])
        return queryset
