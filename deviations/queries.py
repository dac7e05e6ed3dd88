"""Queries shared by the register, its exports and whoever else lists deviation reports."""

from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import cached_property

from deviations.forms import NOT_STATED, RegisterFilterForm
from deviations.models import Deviation, Track
from organisation.models import OrgNode

VIEW = "deviations.view"
# Beyond this many matching reports the register says "more than" instead of counting on:
# counting a whole municipality's ten years costs more than the exact figure tells anyone.
COUNT_CAP = 10_000


def day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def register_units(user):
    """The units the person may pick in the register's unit filter."""
    return OrgNode.objects.visible_to(user, VIEW).filter(is_active=True)


def visible_deviations(user, under=None):
    """The reports the person may see (optionally only below the node `under`).

    The same rows as `Deviation.objects.visible_to(user)`, the scope taken from the permission
    layer for the org nodes (`OrgNode.objects.visible_to(user, "deviations.view")`) and given
    to the database as a list of unit ids. With the path-prefix join the planner cannot tell
    how many units a prefix covers (it guesses one) and picks a plan that reads every report
    of every unit; with the id list it estimates the share right and reads the newest reports
    first, stopping after one page (PostgreSQL, 500,000 reports: 40 ms → 0.2 ms).
    """
    nodes = OrgNode.objects.visible_to(user, VIEW).values_list("pk", "path")
    if under is not None:
        nodes = nodes.filter(path__startswith=under.path)
    return Deviation.objects.filter(unit_id__in=[pk for pk, _path in nodes])


def filter_register(user, params):
    """(form, reports): the register's filter form for `params` (a QueryDict) and the reports
    the person may see that match it, newest first. An invalid form filters nothing."""
    form = RegisterFilterForm(params or None, units=register_units(user), user=user)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    deviations = visible_deviations(user, under=data.get("unit"))
    if valid:
        if data["q"]:
            deviations = deviations.filter(
                Q(reference__iexact=data["q"].strip()) | Q(description__icontains=data["q"])
            )
        if data["status"]:
            deviations = deviations.filter(status=data["status"])
        if data["track"]:
            deviations = deviations.filter(
                Exists(Track.objects.filter(deviation=OuterRef("pk"), kind=data["track"]))
            )
        if data["category"] == NOT_STATED:
            deviations = deviations.filter(category__isnull=True)
        elif data["category"]:
            deviations = deviations.filter(category__code=data["category"])
        if data["reported_from"]:
            deviations = deviations.filter(reported_at__gte=day_start(data["reported_from"]))
        if data["reported_to"]:
            deviations = deviations.filter(
                reported_at__lt=day_start(data["reported_to"] + timedelta(days=1))
            )
    return form, deviations.order_by("-reported_at", "-pk")


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` rows (`capped` tells whether there were more).

    The pages beyond the cap are not offered: narrow the filter (a period, a unit) instead.
    """

    def __init__(self, object_list, per_page, cap=COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self):
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self):
        return min(self._counted, self.cap)

    @property
    def capped(self):
        return self._counted > self.cap
