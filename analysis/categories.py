"""The kinds of event (deviations.EventCategory) in the statistics: a report has one or none
("not stated"), so their counts add up to the reports. Counted per unit and month in
analysis.models.CategoryCount (analysis/buckets.py), read with the other counts
(analysis/stats.py)."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deviations.models import EventCategory


@dataclass
class CategoryFigure:
    """Reports of one kind of event; `category` None: the kind was not stated."""

    category: object
    count: int = 0
    share: float | None = None

    @property
    def name(self):
        return self.category.name if self.category is not None else _("Not stated")


def listed_categories(tallies, nodes):
    """The kinds of event to list: those counted, and those in use that apply somewhere in the
    scope (shipped, or an organisation's own on a node of the scope or above it); None, "not
    stated", last."""
    counted = set().union(*(tally.categories for tally in tallies))
    above = {pk for node in nodes for pk in node.ancestor_ids()}
    listed = [
        c
        for c in EventCategory.objects.filter(
            Q(is_active=True) | Q(pk__in=[pk for pk in counted if pk is not None])
        ).order_by("order", "name")
        if c.pk in counted or c.node_id is None or c.node_id in above
    ]
    return [*listed, None]
