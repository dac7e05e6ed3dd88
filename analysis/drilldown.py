"""From a count on the statistics page to the reports behind it in the deviation register.

A count of reports links to the register (`deviations:list`) with the register's own filters
(unit, status, track, reported from and to, kind of event: its code, or
deviations.forms.NOT_STATED) set so that the list holds exactly
the reports counted. The register shows a person the reports of the units they hold
deviations.view for; the statistics count the units they hold analysis.view for. A link is drawn
only where the two scopes agree over the units the count covers, so the list is never longer or
shorter than the figure says; elsewhere the figure stands without a link.

No link for:
- a figure hidden to protect a small cell (analysis/suppression.py), or a zero;
- a figure the register cannot filter by: the seriousness, state or notification of a track, the
  causes, a unit's own reports apart from the units below it, or "deviations" (classified and
  not "not a deviation"), which has no filter of its own;
- people who may not open the register at all (a board member reads the figures only).
"""

import datetime

from django.urls import reverse
from django.utils.http import urlencode

from accounts.access import may_open
from accounts.scoping import grants
from analysis.models import VIEW
from analysis.suppression import is_hidden
from deviations.models import DeviationStatus

REGISTER_KEY = "deviations.view"
# `unit=SCOPE`: the part of the tree the page shows (the chosen node, or everything).
SCOPE = object()


def _contained(grant, others):
    """Whether every node the grant covers is covered by one of `others` (read from the paths;
    no query, so a grant covered only piecewise counts as not contained)."""
    return any(
        (other.subtree and grant.path.startswith(other.path))
        or (not grant.subtree and other.node_id == grant.node_id)
        for other in others
    )


class Links:
    """The register links of one statistics page: `url(...)` for a count, or None."""

    def __init__(self, user, nodes, *, scope=None, kind=""):
        self.base = reverse("deviations:list")
        self.enabled = may_open(user, self.base)
        self.scope = scope
        self.kind = kind or ""
        self._tails = {}
        self.above = set()
        if not self.enabled:
            return
        register = grants(user, REGISTER_KEY)
        statistics = grants(user, VIEW)
        # Register grants reaching beyond the statistics' units, and units counted that the
        # register does not show: a link covering either would list something else.
        self.extra = [g for g in register if not _contained(g, statistics)]
        self.missing = [n for n in nodes if not any(g.covers(n) for g in register)]
        self.all_exact = not self.extra and not self.missing
        self.above = {pk for node in nodes for pk in node.ancestor_ids()}

    def offers(self, category):
        """Whether the register's filter offers the kind of event: every shipped one, and an
        organisation's own where the person sees a unit it applies to (deviations.categories);
        a link with a value the filter does not offer would list everything."""
        return category is None or category.node_id is None or category.node_id in self.above

    def exact(self, node):
        """Whether the register's unit filter at `node` lists the reports counted under it."""
        if not getattr(node, "is_active", True) or node.pk is None:
            return False
        path = node.path
        if any(m.path.startswith(path) for m in self.missing):
            return False
        return not any(
            g.path.startswith(path) or (g.subtree and path.startswith(g.path)) for g in self.extra
        )

    def url(
        self,
        value,
        *,
        start,
        end,
        unit=SCOPE,
        track="",
        status="",
        category=None,
    ):
        """The register filtered to the reports behind `value`, or None (see the module)."""
        if not self.enabled or is_hidden(value) or not isinstance(value, int) or value <= 0:
            return None
        if self.kind and track and track != self.kind:
            return None  # the register filters one track at a time
        track = track or self.kind
        if unit is SCOPE:
            unit = self.scope
        if unit is None:
            if not self.all_exact:
                return None
        elif not self.exact(unit):
            return None
        # Built by hand and cached: a large municipality's page links hundreds of units, and
        # the values are ids, dates and codes that need no quoting beyond urlencode's once.
        key = (status, track, category, start, end)
        tail = self._tails.get(key)
        if tail is None:
            params = {}
            if status:
                params["status"] = status
            if track:
                params["track"] = track
            if category is not None:
                params["category"] = category
            params["reported_from"] = start.isoformat()
            params["reported_to"] = end.isoformat()
            tail = self._tails[key] = urlencode(params)
        if unit is None:
            return f"{self.base}?{tail}"
        return f"{self.base}?unit={int(unit.pk)}&{tail}"

    def month(self, value, month, *, start, end, **filters):
        """The reports of one month of the period (cut to the period's ends)."""
        last = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        last -= datetime.timedelta(days=1)
        return self.url(value, start=max(month, start), end=min(last, end), **filters)


AWAITING = DeviationStatus.REPORTED
