"""The occasions list: overdue, due soon, or all not done, in the person's scope; a manager's
overdue list is this list filtered to "overdue" (the start-page figures open it)."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import requires
from inspections.models import Occasion
from inspections.models.checklist import VIEW
from legal.health_care import health_care_q
from organisation.models import OrgNode

PAGE_SIZE = 50


class DueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Everything not yet done")),
            ("overdue", _("Overdue")),
            ("soon", _("Due within 30 days")),
        ],
    )
    mine = forms.BooleanField(label=_("Only those I am responsible for"), required=False)
    # From a unit's page of open cases (closing it): that unit's occasions only.
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # From a yearly report's figure: the occasions due that year in the part of the
    # organisation counted, or only its health-care part (the patient safety report).
    year = forms.IntegerField(required=False, widget=forms.HiddenInput)
    node = forms.IntegerField(required=False, widget=forms.HiddenInput)
    health_care = forms.BooleanField(required=False, widget=forms.HiddenInput)


def due_rows(user, params):
    """The filter form and the rows the list shows (the figures count the same rows)."""
    form = DueFilterForm(params or None)
    rows = Occasion.objects.visible_to(user, VIEW).not_done()
    if form.is_valid():
        state = form.cleaned_data["state"]
        today = timezone.localdate()
        if state == "overdue":
            rows = rows.overdue(today)
        elif state == "soon":
            rows = rows.due_soon(today)
        if form.cleaned_data["mine"]:
            rows = rows.filter(item__responsible=user)
        if form.cleaned_data["unit"]:
            rows = rows.filter(item__plan__unit_id=form.cleaned_data["unit"])
        if form.cleaned_data["year"]:
            rows = rows.filter(due_date__year=form.cleaned_data["year"])
        if form.cleaned_data["node"]:
            node = OrgNode.objects.filter(pk=form.cleaned_data["node"]).first()
            path = node.path if node else None
            rows = rows.filter(item__plan__unit__path__startswith=path) if path else rows.none()
        if form.cleaned_data["health_care"]:
            rows = rows.filter(health_care_q("item__plan__unit"))
    return form, rows


@requires(VIEW)
def due(request):
    form, rows = due_rows(request.user, request.GET)
    rows = rows.select_related("item__plan__unit", "item__responsible", "item__template").order_by(
        "due_date", "item__plan__unit__path", "pk"
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for occasion in page.object_list:
        occasion.is_late = occasion.due_date < today
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inspections/due.html",
        {"form": form, "page": page, "query": query.urlencode(), "filtered": bool(request.GET)},
    )
