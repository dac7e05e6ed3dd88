"""The statistics one person reads for one filter: the figures of the period, of the same period
a year earlier and of the last five calendar years, all within the person's scope for
analysis.view (narrowed to the chosen part of the tree) and protected alike
(analysis/suppression.py).

Everything is read from the kept counts (analysis/buckets.py) in a fixed number of grouped
queries, whatever the number of units or reports; only the days of a month the period covers in
part are counted in the register. The numbers read are kept (Django's cache) under the version
of the counts, the person's units and the filter: until something in the register changes and
is counted again, the next request for the same figures reads them from there. What is kept is
numbers per unit, track, cause and kind of event, never a person's view of them: the units'
names and places in the tree, the causes and kinds of event, and the hiding of small cells for
this person are read afresh each time.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

from analysis import buckets, comparison, stats, suppression
from analysis.lookups import UnitSet
from analysis.models import VIEW
from deviations.models import Deviation
from organisation.models import OrgNode

NODE_FIELDS = ("id", "name", "path", "depth", "is_active")
# How long numbers read from the kept counts are kept at most: a recount changes their key at
# once; this bounds a change made past the change log (rows loaded straight into the tables,
# which `manage.py rebuild_statistics` then counts).
KEEP = 600


@dataclass
class Reading:
    current: stats.Statistics
    nodes: list  # the organisation nodes the figures cover
    scope: object = None  # the chosen node, or None: every node the person may see
    kind: str = ""
    previous: stats.Statistics | None = None
    trend: list | None = None


def cache_key(name, state, node_ids, *parts):
    """The key of numbers read from the kept counts: which counts (their state and version),
    for which units (the person's scope), what was asked. Any recount moves the version, so
    numbers kept under an old key are never read again."""
    built = state.built_at.isoformat() if state.built_at else ""
    digest = hashlib.sha256(
        repr((state.pk, built, state.version, node_ids.literal, parts)).encode()
    ).hexdigest()
    return f"analysis.{name}.{digest}"


class Node:
    """An organisation node as the statistics read it: its id, name and place in the tree. Not
    a model instance: a large municipality has hundreds, read on every request."""

    __slots__ = (*NODE_FIELDS, "pk", "_ancestors")

    def __init__(self, id, name, path, depth, is_active):  # noqa: A002 - the model's field
        self.id = self.pk = id
        self.name, self.path, self.depth, self.is_active = name, path, depth, is_active
        self._ancestors = None

    def ancestor_ids(self):
        """Ids from the root down to and including this node (organisation.OrgNode's), read
        from the path once: the statistics ask for them several times a node."""
        if self._ancestors is None:
            self._ancestors = [int(seg) for seg in self.path.rstrip("/").split("/") if seg]
        return self._ancestors

    def __str__(self):
        return self.name


def visible_nodes(user):
    """The nodes the person may see for analysis.view, in tree order."""
    rows = OrgNode.objects.visible_to(user, VIEW).order_by("path").values_list(*NODE_FIELDS)
    return [Node(*row) for row in rows]


def read(user, nodes, chosen, *, compare=True):
    """The figures for the chosen period, part of the tree and track; with `compare`, also a
    year earlier and the trend. `nodes`: the nodes the person may see (visible_nodes)."""
    deviations = Deviation.objects.visible_to(user, VIEW)
    scope = chosen.get("scope")
    kind = chosen.get("track") or ""
    if scope is not None:
        deviations = deviations.filter(unit__path__startswith=scope.path)
        nodes = [n for n in nodes if n.path.startswith(scope.path)]
    # The ids as a list, not a subquery: the planner guesses one node for a path prefix and then
    # probes the counts once per node (PostgreSQL, 500 units: 190 ms → a few ms).
    node_ids = UnitSet((n.pk for n in nodes), everything=len(nodes) == OrgNode.objects.count())
    start, end = chosen["period_from"], chosen["period_to"]
    periods = [(start, end, True)]
    if compare:
        periods.append((*comparison.previous_period(start, end), False))
    state = buckets.refresh_for_reading()
    key = cache_key("figures", state, node_ids, kind, periods)
    numbers = cache.get(key)
    if numbers is None:
        tallies = stats.count_periods(
            deviations, periods, unit_ids=node_ids, kind=kind, refresh=False
        )
        cache.set(key, [tally.counts() for tally in tallies], KEEP)
    else:
        tallies = [
            tally.restore(data)
            for tally, data in zip(stats.tallies_for(periods, kind), numbers, strict=True)
        ]
    figures = stats.finish_periods(tallies, nodes)
    # Small counts of cases the person may not read are not shown.
    hidden = suppression.hidden_kinds(user, nodes)
    for result in figures:
        suppression.protect(result, hidden)
    current = figures[0]
    result = Reading(current=current, nodes=nodes, scope=scope, kind=kind)
    if compare:
        result.previous = figures[1]
        result.trend = comparison.trend(
            end=end,
            node_ids=node_ids,
            kind=kind,
            hidden_kinds=hidden,
            known=figures,
            key=cache_key("trend", state, node_ids, kind, end.year),
        )
    return result
