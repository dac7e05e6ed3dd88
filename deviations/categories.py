"""Which kinds of event (EventCategory) a unit offers.

A category applies to a unit when it is in use and

- it is shipped (no node) or belongs to the unit or a node above it (an organisation's or a
  provider's own category applies in its subtree only), and
- it names no law area, or one of the unit's law areas (the laws stated at the unit and above it,
  legal.citations.law_areas_for); a unit that has stated none is offered every category.
"""

from django.db.models import Exists, OuterRef, Q

from deviations.models import EventCategory
from legal.citations import law_areas_for
from legal.models import Applicability
from organisation.models import OrgNode


def _offered(category, ancestor_ids, areas):
    if category.node_id is not None and category.node_id not in ancestor_ids:
        return False
    return not areas or not category.law_areas or bool(areas.intersection(category.law_areas))


def _catalogue(node_ids):
    return list(
        EventCategory.objects.filter(is_active=True).filter(
            Q(node__isnull=True) | Q(node_id__in=node_ids)
        )
    )


def categories_for(unit):
    """The categories in use at `unit`, in catalogue order (two queries)."""
    if unit is None:
        return _catalogue([])
    ancestor_ids = set(unit.ancestor_ids())
    areas = law_areas_for(unit)
    return [c for c in _catalogue(ancestor_ids) if _offered(c, ancestor_ids, areas)]


def categories_by_unit(units):
    """{unit pk: [categories]} for several units, as `categories_for` gives for each (two
    queries in all, whatever the number of units)."""
    units = list(units)
    ancestors = {unit.pk: set(unit.ancestor_ids()) for unit in units}
    node_ids = set().union(*ancestors.values())
    # The same reading of the register as law_areas_for, for every unit at once.
    stated = {}
    for node_id, area in (
        Applicability.objects.filter(node_id__in=node_ids)
        .exclude(regulation__law_area="")
        .values_list("node_id", "regulation__law_area")
        .distinct()
    ):
        stated.setdefault(node_id, set()).add(area)
    catalogue = _catalogue(node_ids)
    result = {}
    for pk, ids in ancestors.items():
        areas = set().union(*(stated.get(i, ()) for i in ids))
        result[pk] = [c for c in catalogue if _offered(c, ids, areas)]
    return result


def union_in_order(lists):
    """The categories of several units together, once each, in catalogue order."""
    seen = {}
    for categories in lists:
        for category in categories:
            seen.setdefault(category.pk, category)
    return sorted(seen.values(), key=lambda c: (c.order, c.name))


def applies(category, unit):
    return any(c.pk == category.pk for c in categories_for(unit))


def categories_for_register(user, key="deviations.view"):
    """What the register's and the exports' filter offers: every shipped category, and an
    organisation's own where the person sees a unit it applies to (in use or not: old reports
    keep theirs). One query."""
    visible = OrgNode.objects.visible_to(user, key)
    # The category's node or a node below it is one the person sees.
    seen = visible.filter(path__startswith=OuterRef("node__path"))
    return EventCategory.objects.filter(Q(node__isnull=True) | Exists(seen)).order_by(
        "order", "name"
    )
