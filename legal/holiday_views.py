"""The organisation's holidays: see them per year, and add or remove a day."""

import contextlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import requires
from legal.holidays import (
    add_holiday,
    load_swedish_holidays,
    may_edit_holidays,
    remove_holiday,
    roots_visible_to,
)
from legal.rules import Holiday

VIEW = Holiday.view_permission
MIN_YEAR, MAX_YEAR = 2000, 2100


class ChooseForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=None, empty_label=None
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)

    def __init__(self, *args, roots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = roots


class HolidayForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)


def _page_url(root, year):
    return f"{reverse('legal:holidays')}?{urlencode({'organisation': root.pk, 'year': year})}"


def _chosen(request, roots):
    """The organisation and year from the query (or the form), defaulting to the first tree."""
    data = request.POST if request.method == "POST" else request.GET
    year = timezone.localdate().year
    with contextlib.suppress(TypeError, ValueError):
        year = int(data.get("year", year))
    year = min(max(year, MIN_YEAR), MAX_YEAR)
    wanted = data.get("organisation")
    if wanted in (None, ""):
        root = roots.first()
    else:
        try:
            root = roots.get(pk=wanted)
        except (ValueError, TypeError, roots.model.DoesNotExist):
            raise Http404 from None  # unknown and not visible alike
    if root is None:
        raise Http404
    return root, year


@requires(VIEW)
def holidays(request):
    roots = roots_visible_to(request.user)
    root, year = _chosen(request, roots)
    can_edit = may_edit_holidays(request.user, root)
    form = HolidayForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        done, form = _post(request, root, year)
        if done is not None:
            return redirect(done)
    days = Holiday.objects.filter(organisation=root, date__year=year).order_by("date")
    return render(
        request,
        "legal/holidays.html",
        {
            "root": root,
            "year": year,
            "days": days,
            "can_edit": can_edit,
            "form": form,
            "choose_form": ChooseForm(initial={"organisation": root.pk, "year": year}, roots=roots),
            "several_roots": len(roots) > 1,
            "previous_year": year - 1 if year > MIN_YEAR else None,
            "next_year": year + 1 if year < MAX_YEAR else None,
        },
    )


def _post(request, root, year):
    """Carry out the posted change: (the page to go to, None), or (None, the form with errors)."""
    if "remove" in request.POST:
        try:
            holiday = Holiday.objects.get(organisation=root, pk=request.POST["remove"])
        except (Holiday.DoesNotExist, ValueError):
            raise Http404 from None
        remove_holiday(holiday, actor=request.user)
        messages.success(
            request, _("%(date)s is no longer a holiday.") % {"date": holiday.date.isoformat()}
        )
        return _page_url(root, year), None
    if "load" in request.POST:
        added = load_swedish_holidays(root, year, actor=request.user)
        messages.success(
            request,
            _("The Swedish public holidays of %(year)s were loaded (%(count)s new).")
            % {"year": year, "count": added},
        )
        return _page_url(root, year), None
    form = HolidayForm(request.POST)
    if form.is_valid():
        try:
            add_holiday(
                root,
                actor=request.user,
                day=form.cleaned_data["date"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return None, form
        day = form.cleaned_data["date"]
        messages.success(request, _("%(date)s was added as a holiday.") % {"date": day.isoformat()})
        return _page_url(root, day.year), None
    return None, form
