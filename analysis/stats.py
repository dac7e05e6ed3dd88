"""Statistics of deviations: counts and shares, never rows.

The statistics show no report, description or identity. Restricted tracks (lex Sarah, lex
Maria) are counted like the others, but a small count can point at one case: their small cells
are hidden from people who may not read those cases (analysis/suppression.py).

Where the counts come from: the register itself, grouped per unit and month (the `source_*`
queries of analysis/sources.py), kept in four small tables of counts per unit and month (reports,
tracks, causes, kinds of event), also summed per unit and calendar year (analysis/buckets.py
keeps them in step with the register). A year of a large municipality is some 100,000 reports;
joining reports, tracks, investigations and causes for each request would take a second, while
the kept counts answer in a few grouped queries over a few thousand rows, for the period and the
same period a year earlier at once (`compute_periods`). Whole months of the period are
read from the kept counts; the days of a month the period only partly covers are counted from
the register directly, with the same queries (slower: a few tenths of a second at that scale).

Scope: `compute` takes the deviations and the organisation nodes the person may see for
`analysis.view` (narrowed to the chosen part of the tree); the kept counts are read for those
nodes only, the register through the deviations queryset. Units are rolled up the tree in Python
over the (few hundred) nodes, using the materialised path: each node shows its own reports and
those of its whole subtree.

Denominators (see docs/analys-och-statistik.md):

- reports: all reports made in the period (by the date they were reported);
- classified reports: reports that have been classified into tracks; the share of
  "not a deviation" is counted of these;
- deviations: classified reports not judged "not a deviation"; the share of each track is
  counted of these. One report can take several tracks (e.g. lex Sarah and a personal data
  breach), so the track shares can add up to more than 100 %;
- the share notified to the authority (IVO for lex Sarah and lex Maria, IMY for personal data
  breaches) is counted of the track's own cases; notified means a notification recorded as
  sent in the notification register (deviations.authority.models), whether or not the authority
  has decided since;
- causes: the share of closed investigations (closed tracks) naming the cause. Closing needs a
  cause, so every closed track names at least one; an investigation can name several.
- kinds of event (deviations.EventCategory): the share of the reports; a report has one kind or
  none ("not stated"), so the shares add up to 100 %.
- closed with an action / with a reason why no action is needed: closing needs one of them,
  so a closed track without an action was closed with the reason.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.db.models import Max, Min, Q, Sum
from django.utils import timezone

from analysis import buckets
from analysis.categories import CategoryFigure, listed_categories
from analysis.lookups import UnitSet
from analysis.models import CategoryCount, CauseCount, ReportCount, Span, TrackCount
from analysis.sources import (
    DEVIATION_KINDS,
    KIND_COLUMNS,
    STATES,
    TRACK_COUNTS,
    in_range,
    next_month,
    source_categories,
    source_causes,
    source_reports,
    source_tracks,
    tracks_by_kind,
)
from deviations.investigation.models import Cause
from legal.rules import TrackKind

# The tracks that may lead to a notification, and to whom.
AUTHORITY = {
    TrackKind.LEX_SARAH: "IVO",
    TrackKind.LEX_MARIA: "IVO",
    TrackKind.DATA_BREACH: "IMY",
}
MAX_MONTHS = 60


# -- periods and shares ----------------------------------------------------------------------


def default_period(today=None):
    """The current calendar year."""
    today = today or timezone.localdate()
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


def in_period(deviations, start, end):
    return deviations.filter(in_range(start, end))


def months_between(start, end):
    """The first day of every month from `start`'s month to `end`'s, both included."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = next_month(month)
    return months


def split_period(start, end):
    """The whole months of the period (first, last) or None, and the days outside them."""
    first = start if start.day == 1 else next_month(start)
    after_last = (
        next_month(end)
        if next_month(end) - datetime.timedelta(days=1) == end
        else (end.replace(day=1))
    )
    if first >= after_last:
        return None, [(start, end)]
    last = after_last - datetime.timedelta(days=1)
    partial = []
    if start < first:
        partial.append((start, first - datetime.timedelta(days=1)))
    if end > last:
        partial.append((after_last, end))
    return (first, last.replace(day=1)), partial


def share(part, whole):
    """part / whole as a fraction, or None when there is nothing to divide by."""
    return part / whole if whole else None


def percent(fraction, decimals=0):
    """A fraction as a rounded percentage (half up), or None."""
    if fraction is None:
        return None
    quantum = Decimal(1).scaleb(-decimals)
    return (Decimal(str(fraction)) * 100).quantize(quantum, rounding=ROUND_HALF_UP)


# -- the figures -----------------------------------------------------------------------------


@dataclass
class KindFigure:
    kind: str
    count: int = 0
    share: float | None = None
    serious_yes: int = 0
    serious_no: int = 0
    open: int = 0
    investigating: int = 0
    decided: int = 0
    closed: int = 0
    closed_with_action: int = 0
    notified: int = 0
    not_notified: int = 0
    # Figures hidden from the reader, or sums kept once a part is (analysis/suppression.py).
    masked: dict = field(default_factory=dict)

    @property
    def label(self):
        return TrackKind(self.kind).label

    @property
    def authority(self):
        return AUTHORITY.get(self.kind, "")

    @property
    def not_judged(self):
        if "not_judged" in self.masked:
            return self.masked["not_judged"]
        return self.count - self.serious_yes - self.serious_no

    @property
    def closed_no_action_reason(self):
        if "closed_no_action_reason" in self.masked:
            return self.masked["closed_no_action_reason"]
        return self.closed - self.closed_with_action

    @property
    def notified_share(self):
        if "notified_share" in self.masked:
            return self.masked["notified_share"]
        return share(self.notified, self.count)


KIND_SNAPSHOT_FIELDS = (
    "count",
    "serious_yes",
    "serious_no",
    "open",
    "investigating",
    "decided",
    "closed",
    "closed_with_action",
    "notified",
    "not_notified",
)


@dataclass
class MonthFigure:
    month: datetime.date
    reports: int = 0
    not_deviation: int = 0
    kinds: dict = field(default_factory=dict)

    def kind_counts(self):
        return [self.kinds.get(kind, 0) for kind in DEVIATION_KINDS]


@dataclass
class UnitFigure:
    node: object
    own: int = 0
    subtree: int = 0
    level: int = 0

    @property
    def name(self):
        return self.node.name


@dataclass
class CauseFigure:
    cause: object
    count: int = 0
    share: float | None = None

    @property
    def name(self):
        return self.cause.name


@dataclass
class Statistics:
    start: datetime.date
    end: datetime.date
    kind_filter: str = ""
    reports: int = 0
    unclassified: int = 0
    not_deviation: int = 0
    kinds: list = field(default_factory=list)
    months: list = field(default_factory=list)
    units: list = field(default_factory=list)
    causes: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    # Small cells hidden from the reader (analysis/suppression.py): the hidden figures, and the
    # sums kept as they were.
    suppressed: bool = False
    suppression_limit: int = 0
    masked: dict = field(default_factory=dict)

    @property
    def classified(self):
        if "classified" in self.masked:
            return self.masked["classified"]
        return self.reports - self.unclassified

    @property
    def deviations(self):
        if "deviations" in self.masked:
            return self.masked["deviations"]
        return self.classified - self.not_deviation

    @property
    def not_deviation_share(self):
        if "not_deviation_share" in self.masked:
            return self.masked["not_deviation_share"]
        return share(self.not_deviation, self.classified)

    @property
    def tracks(self):
        if "tracks" in self.masked:
            return self.masked["tracks"]
        return sum(k.count for k in self.kinds)

    @property
    def causes_base(self):
        """Closed investigations: every one names at least one cause."""
        if "causes_base" in self.masked:
            return self.masked["causes_base"]
        return sum(k.closed for k in self.kinds)

    @property
    def notifiable(self):
        return [k for k in self.kinds if k.authority]

    def kind(self, kind):
        return next(k for k in self.kinds if k.kind == kind)

    def as_snapshot(self):
        """The key figures as JSON, kept on an aggregated analysis when it is saved."""
        return {
            "version": 1,
            "period": [self.start.isoformat(), self.end.isoformat()],
            "reports": self.reports,
            "unclassified": self.unclassified,
            "classified": self.classified,
            "not_deviation": self.not_deviation,
            "deviations": self.deviations,
            "kinds": [
                {"kind": k.kind, **{name: getattr(k, name) for name in KIND_SNAPSHOT_FIELDS}}
                for k in self.kinds
            ],
            "months": [
                {
                    "month": m.month.isoformat(),
                    "reports": m.reports,
                    "not_deviation": m.not_deviation,
                    "kinds": dict(m.kinds),
                }
                for m in self.months
            ],
            "units": [
                {"name": u.name, "level": u.level, "own": u.own, "subtree": u.subtree}
                for u in self.units
                if u.subtree
            ],
            "causes": [{"name": c.name, "count": c.count} for c in self.causes if c.count],
            "categories": [
                {"name": str(c.name), "count": c.count} for c in self.categories if c.count
            ],
        }

    @classmethod
    def from_snapshot(cls, data):
        """The figures kept on an aggregated analysis, in the shape the templates show."""
        start, end = (datetime.date.fromisoformat(d) for d in data["period"])
        result = cls(
            start=start,
            end=end,
            reports=data.get("reports", 0),
            unclassified=data.get("unclassified", 0),
            not_deviation=data.get("not_deviation", 0),
        )
        deviations = result.deviations
        for row in data.get("kinds", []):
            figure = KindFigure(
                kind=row["kind"], **{k: row.get(k, 0) for k in KIND_SNAPSHOT_FIELDS}
            )
            figure.share = share(figure.count, deviations)
            result.kinds.append(figure)
        result.months = [
            MonthFigure(
                month=datetime.date.fromisoformat(m["month"]),
                reports=m["reports"],
                not_deviation=m.get("not_deviation", 0),
                kinds=dict(m.get("kinds", {})),
            )
            for m in data.get("months", [])
        ]
        result.units = [
            UnitFigure(
                node=SimpleNamespace(name=u["name"], pk=None),
                own=u["own"],
                subtree=u["subtree"],
                level=u["level"],
            )
            for u in data.get("units", [])
        ]
        base = result.causes_base
        result.causes = [
            CauseFigure(
                cause=SimpleNamespace(name=c["name"], pk=None),
                count=c["count"],
                share=share(c["count"], base),
            )
            for c in data.get("causes", [])
        ]
        result.categories = [
            CategoryFigure(
                category=SimpleNamespace(name=c["name"], pk=None, code=None),
                count=c["count"],
                share=share(c["count"], result.reports),
            )
            for c in data.get("categories", [])
        ]
        return result


class _Tally:
    def __init__(self, start, end, kind, months=True, kept=True):
        self.stats = Statistics(start=start, end=end, kind_filter=kind or "")
        self.months = (
            {m: MonthFigure(month=m) for m in months_between(start, end)} if months else {}
        )
        # Whole months from the kept counts (their rows: `span`), the other days from the
        # register; everything from the register when not `kept`.
        self.whole, self.partial = split_period(start, end) if kept else (None, [(start, end)])
        self.years, self.ranges = split_years(*self.whole) if self.whole else ([], [])
        self.span = _span_q(self.years, self.ranges)
        self.kinds = {k: KindFigure(kind=k) for k in DEVIATION_KINDS}
        self.own = defaultdict(int)
        self.causes = defaultdict(int)
        self.categories = defaultdict(int)

    def counts(self):
        """The numbers read, as plain data: analysis/reading.py keeps them until the counts
        change."""
        s = self.stats
        return {
            "totals": (s.reports, s.unclassified, s.not_deviation),
            "months": {
                m: (f.reports, f.not_deviation, dict(f.kinds)) for m, f in self.months.items()
            },
            "kinds": {
                k: {name: getattr(f, name) for name in KIND_SNAPSHOT_FIELDS}
                for k, f in self.kinds.items()
            },
            "own": dict(self.own),
            "causes": dict(self.causes),
            "categories": dict(self.categories),
        }

    def restore(self, data):
        """The numbers of `counts()` back into a fresh tally of the same period."""
        s = self.stats
        s.reports, s.unclassified, s.not_deviation = data["totals"]
        for month, (reports, not_deviation, kinds) in data["months"].items():
            figure = self.months[month]
            figure.reports, figure.not_deviation, figure.kinds = reports, not_deviation, kinds
        for kind, values in data["kinds"].items():
            for name, value in values.items():
                setattr(self.kinds[kind], name, value)
        self.own.update(data["own"])
        self.causes.update(data["causes"])
        self.categories.update(data["categories"])
        return self

    def unit(self, unit_id, reports):
        self.own[unit_id] += reports

    def holds(self, span, month):
        """Whether a kept row (a year's sums or a month's) belongs to the period."""
        if span == Span.YEAR:
            return month.year in self.years
        return any(low <= month <= high for low, high in self.ranges)

    def total(self, reports, unclassified=0):
        self.stats.reports += reports
        self.stats.unclassified += unclassified

    def month(self, month, reports, unclassified=0, kinds=None, total=True):
        """A month's reports; `kinds` the reports per track (from the kept counts); `total`:
        also add them to the period's totals (not when the totals are read per unit)."""
        if total:
            self.total(reports, unclassified)
        figure = self.months.get(month)
        if figure is None:
            return
        figure.reports += reports
        for kind, n in (kinds or {}).items():
            if kind == TrackKind.NOT_DEVIATION:
                figure.not_deviation += n
            elif n:
                figure.kinds[kind] = figure.kinds.get(kind, 0) + n

    def track(self, row):
        """One row per kind and month, with TRACK_COUNTS and a count per state."""
        month = self.months.get(row["month"])
        kind, n = row["kind"], row["n"]
        if kind == TrackKind.NOT_DEVIATION:
            self.stats.not_deviation += n
            if month:
                month.not_deviation += n
            return
        figure = self.kinds.get(kind)
        if figure is None:
            return
        figure.count += n
        for name in TRACK_COUNTS[1:] + STATES:
            setattr(figure, name, getattr(figure, name) + row[name])
        if month:
            month.kinds[kind] = month.kinds.get(kind, 0) + n

    def cause(self, cause_id, n):
        self.causes[cause_id] += n

    def category(self, category_id, n):
        self.categories[category_id] += n


def split_years(first, last):
    """The whole calendar years among the whole months `first`..`last` (first days), and the
    other months as (first, last) ranges."""
    year = first.year if first.month == 1 else first.year + 1
    years = []
    while datetime.date(year, 12, 1) <= last:
        years.append(year)
        year += 1
    if not years:
        return [], [(first, last)]
    ranges = []
    if first < datetime.date(years[0], 1, 1):
        ranges.append((first, datetime.date(years[0] - 1, 12, 1)))
    if last > datetime.date(years[-1], 12, 1):
        ranges.append((datetime.date(years[-1] + 1, 1, 1), last))
    return years, ranges


def of_units(unit_ids):
    """A Q for the kept counts of these units: ids as one parameter (analysis/lookups.py), a
    queryset as a subquery."""
    if isinstance(unit_ids, UnitSet):
        return Q() if unit_ids.everything else Q(unit__any_of=unit_ids)
    if isinstance(unit_ids, list | tuple | set):
        return Q(unit__any_of=UnitSet(unit_ids))
    return Q(unit_id__in=unit_ids)


def _span_q(years, ranges):
    """The kept rows of whole calendar years (their yearly sums) and of month ranges."""
    span = Q()
    if years:
        firsts = [datetime.date(y, 1, 1) for y in sorted(years)]
        # The range lets the index read just those years (a list alone is only a filter).
        span |= Q(span=Span.YEAR, month__gte=firsts[0], month__lte=firsts[-1], month__in=firsts)
    for low, high in ranges:
        span |= Q(span=Span.MONTH, month__gte=low, month__lte=high)
    return span


def _sums(tallies, names):
    """{alias: Sum} for each tally and column: plain sums for one period; for several, each
    sum filtered to its period's rows, so that one grouped query reads them all."""
    if len(tallies) == 1:
        return {f"{name}_0": Sum(name) for name in names}
    return {
        f"{name}_{i}": Sum(name, filter=tally.span)
        for i, tally in enumerate(tallies)
        for name in names
    }


def _from_kept_counts(tallies, unit_ids, kind):
    """Whole months from the kept counts: grouped queries over small tables, each reading the
    periods of all `tallies` at once (the period and the same period a year earlier).

    The trend per month comes from the monthly report counts (for the tallies that keep
    months); the reports per unit and in all, the tracks' states and outcomes and the causes
    from the yearly sums for whole calendar years and the monthly rows for the other months.
    """
    units = of_units(unit_ids)
    # All the years in one condition: the index then reads just those years' rows.
    where = _span_q(
        set().union(*(tally.years for tally in tallies)),
        [r for tally in tallies for r in tally.ranges],
    )
    # With a track chosen, the reports are those with that track.
    column = kind or "reports"
    names = [column] if kind else [column, "unclassified"]
    per_unit = ReportCount.objects.filter(where, units).order_by().values("unit_id")
    for row in per_unit.annotate(**_sums(tallies, names)):
        for i, tally in enumerate(tallies):
            count = row[f"{column}_{i}"]
            if count:
                tally.unit(row["unit_id"], count)
                tally.total(count, row.get(f"unclassified_{i}") or 0)
    for tally in tallies:
        if tally.months:  # the trend per month is kept for this period
            first, last = tally.whole
            reports = ReportCount.objects.filter(
                units, span=Span.MONTH, month__gte=first, month__lte=last
            ).order_by()
            columns = [kind] if kind else list(KIND_COLUMNS)
            sums = {"count": Sum(column), **{name: Sum(name) for name in columns}}
            for row in reports.values("month").annotate(**sums):
                tally.month(
                    row["month"],
                    row["count"],
                    kinds={name: row[name] for name in columns},
                    total=False,
                )

    # Tracks and causes grouped by their kept row's year or month as well (a few rows more),
    # then added to each period that row belongs to.
    tracks = TrackCount.objects.filter(where, units).order_by()
    if kind:
        tracks = tracks.filter(kind=kind)
    totals = {name: Sum(name) for name in TRACK_COUNTS + STATES}
    for row in tracks.values("kind", "span", "month").annotate(**totals):
        for tally in tallies:
            if tally.holds(row["span"], row["month"]):
                tally.track({**row, "month": None})
    cause_column = kind or "n"
    if cause_column in ("n", *DEVIATION_KINDS):
        causes = CauseCount.objects.filter(where, units).order_by()
        for row in causes.values("cause_id", "span", "month").annotate(count=Sum(cause_column)):
            for tally in tallies:
                if tally.holds(row["span"], row["month"]):
                    tally.cause(row["cause_id"], row["count"])
    categories = CategoryCount.objects.filter(where, units).order_by()
    for row in categories.values("category_id", "span", "month").annotate(count=Sum(kind or "n")):
        for tally in tallies:
            if tally.holds(row["span"], row["month"]):
                tally.category(row["category_id"], row["count"])


def _from_register(tally, deviations, ranges, kind):
    """Days outside whole months, counted in the register with the same grouping."""
    q = Q()
    for start, end in ranges:
        q |= in_range(start, end)
    deviations = deviations.filter(q)
    span = deviations.order_by().aggregate(low=Min("pk"), high=Max("pk"))
    id_range = (span["low"], span["high"])
    tracks = tracks_by_kind(source_tracks(deviations, kind, id_range))
    if kind:
        for row in tracks:
            tally.unit(row["unit_id"], row["n"])
            tally.month(row["month"], row["n"])
    else:
        for row in source_reports(deviations):
            tally.unit(row["unit_id"], row["reports"])
            tally.month(row["month"], row["reports"], row["unclassified"])
    for row in tracks:
        tally.track(row)
    for row in source_causes(deviations, kind, id_range):
        tally.cause(row["cause_id"], row["n"])
    for row in source_categories(deviations, kind):
        tally.category(row["category_id"], row["n"])


def roll_up(nodes, own_counts):
    """Each node with its own count and its subtree's, over the nodes given.

    A report's unit adds to every listed node on its path: the prefix of a materialised path
    names the ancestors, so no query per node is needed.
    """
    by_id = {node.pk: node for node in nodes}
    subtree = dict.fromkeys(by_id, 0)
    for unit_id, n in own_counts.items():
        node = by_id.get(unit_id)
        if node is None:
            continue
        for ancestor_id in node.ancestor_ids():
            if ancestor_id in subtree:
                subtree[ancestor_id] += n
    top = min((node.depth for node in nodes), default=0)
    return [
        UnitFigure(
            node=node,
            own=own_counts.get(node.pk, 0),
            subtree=subtree[node.pk],
            level=node.depth - top,
        )
        for node in sorted(nodes, key=lambda n: n.path)
    ]


def compute(deviations, *, start, end, nodes, kind="", kept=True, node_ids=None):
    """All figures for the reports made from `start` to `end` in the given scope.

    `deviations` are the reports the person may see for analysis.view (narrowed to the chosen
    part of the tree) and `nodes` the organisation nodes of the same scope; `kind` narrows to
    reports with that track. `kept=False` counts everything in the register (slow; for checks).
    `node_ids` may give the nodes' ids (a list, or a queryset).
    """
    periods = [(start, end, True)]
    return compute_periods(
        deviations, periods, nodes=nodes, kind=kind, kept=kept, node_ids=node_ids
    )[0]


def compute_periods(deviations, periods, *, nodes, kind="", kept=True, node_ids=None):
    """The figures of several periods of the same scope, [(start, end, with the months)], in
    the queries of one: each grouped query of the kept counts sums every period at once (the
    statistics page reads the period and the same period a year earlier so)."""
    unit_ids = node_ids if node_ids is not None else [node.pk for node in nodes]
    tallies = count_periods(deviations, periods, kind=kind, kept=kept, unit_ids=unit_ids)
    return finish_periods(tallies, nodes)


def tallies_for(periods, kind="", kept=True):
    return [_Tally(start, end, kind, months=months, kept=kept) for start, end, months in periods]


def count_periods(deviations, periods, *, unit_ids, kind="", kept=True, refresh=True):
    """The numbers of the periods (tallies), before they are made figures (`finish_periods`).
    `refresh=False`: the kept counts were just brought up to date."""
    tallies = tallies_for(periods, kind, kept)
    if kept and refresh:
        buckets.refresh_for_reading()
    if isinstance(unit_ids, list | tuple | set):
        unit_ids = UnitSet(unit_ids)
    whole = [tally for tally in tallies if tally.whole is not None]
    if whole:
        _from_kept_counts(whole, unit_ids, kind)
    for tally in tallies:
        if tally.partial:
            _from_register(tally, deviations, tally.partial, kind)
    return tallies


def finish_periods(tallies, nodes):
    """The figures of the tallies over `nodes`, with today's causes and kinds of event."""
    counted = set().union(*(tally.causes for tally in tallies))
    causes = list(Cause.objects.filter(Q(is_active=True) | Q(pk__in=list(counted))))
    categories = listed_categories(tallies, nodes)
    return [_finish(tally, nodes, causes, categories) for tally in tallies]


def _finish(tally, nodes, causes, categories):
    stats = tally.stats
    for figure in tally.kinds.values():
        figure.share = share(figure.count, stats.deviations)
    stats.kinds = list(tally.kinds.values())
    stats.months = list(tally.months.values())
    stats.units = roll_up(nodes, tally.own)
    counts = tally.causes
    base = stats.causes_base
    stats.causes = sorted(
        (
            CauseFigure(cause=c, count=counts.get(c.pk, 0), share=share(counts.get(c.pk, 0), base))
            for c in causes
        ),
        key=lambda f: (-f.count, f.cause.order, f.cause.name),
    )
    counts = tally.categories
    stats.categories = [
        CategoryFigure(
            category=c,
            count=counts.get(c.pk if c else None, 0),
            share=share(counts.get(c.pk if c else None, 0), stats.reports),
        )
        for c in categories
    ]
    return stats
