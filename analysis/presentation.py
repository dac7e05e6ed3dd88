"""What the statistics page shows, made of the figures (analysis/stats.py): the key figures as
cards and the detail tables as rows, each count beside the same period a year earlier with the
change ("+12 (+8 %)") and the register link behind it (analysis/drilldown.py).

A row with nothing in either period is left out and named once ("No reports with: …"), so a
large organisation's page lists what happened rather than hundreds of zeros. The charts are
pictures of the rows beside them.

Used by the statistics page (with the comparison and the links) and by an aggregated analysis's
kept figures (without them: the snapshot holds one period and the register has moved on).
"""

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from analysis import charts, stats
from analysis.drilldown import AWAITING
from analysis.suppression import is_hidden
from deviations.forms import NOT_STATED
from legal.rules import TrackKind

MAX_UNIT_BARS = 30


def change(current, previous):
    """The change from a year earlier as "+12 (+8 %)"; "–" where either figure is hidden (the
    change would give it away); "" without a comparison."""
    if previous is None or current is None:
        return ""
    if is_hidden(current) or is_hidden(previous):
        return "–"
    delta = current - previous
    if not delta:
        return "±0"
    sign = "+" if delta > 0 else "\u2212"
    text = f"{sign}{abs(delta)}"
    if previous:
        value = stats.percent(abs(delta) / previous)
        text += f" ({sign}{formats.number_format(value, 0)}\u00a0%)"
    return text


def _zero(value):
    return value == 0 and not is_hidden(value)


@dataclass
class Cell:
    value: object
    link: str | None = None


@dataclass
class Row:
    """One figure: this period's count, the same period a year earlier (or None), the change."""

    key: str
    label: str
    current: Cell
    previous: Cell | None = None
    share: object = None
    source: object = None  # the figure the row shows (KindFigure, CauseFigure, UnitFigure, …)
    label_link: str | None = None  # a unit's own statistics
    cells: list = field(default_factory=list)  # more counts of the row (the months table)

    @property
    def change(self):
        return change(self.current.value, self.previous.value if self.previous else None)

    @property
    def empty(self):
        """Nothing in the period, nor a year earlier."""
        return _zero(self.current.value) and (self.previous is None or _zero(self.previous.value))


def _split(rows):
    """(rows with something, labels of the rows with nothing)."""
    return [r for r in rows if not r.empty], [r.label for r in rows if r.empty]


class Page:
    """The rows and charts of one statistics page (or of an analysis's kept figures)."""

    def __init__(
        self,
        current,
        *,
        previous=None,
        trend=None,
        links=None,
        units=None,
        unit_link=None,
        unit_tree=False,
    ):
        """`units`: the unit figures of the chart (default: the level below the top);
        `unit_link(node)`: the statistics of one unit; `unit_tree`: list every unit with
        reports (an analysis's kept figures: the statistics page links each unit instead)."""
        self.unit_link = unit_link
        self.stats = current
        self.previous = previous
        self.links = links
        self.compared = previous is not None
        self.kinds, self.kinds_none = _split([self._kind_row(k) for k in current.kinds])
        self.notified = [
            row for row in (self._notified_row(k) for k in current.notifiable) if row is not None
        ]
        self.outcome = [k for k in current.kinds if not _zero(k.count)]
        self.totals = self._totals()
        self.total_rows = [
            self.totals[name] for name in ("deviations", "not_deviation", "unclassified", "reports")
        ]
        self.months = [self._month_row(m) for m in current.months]
        self.causes, self.causes_none = _split([self._cause_row(c) for c in current.causes])
        self.categories, self.categories_none = _split(
            [self._category_row(i, c) for i, c in enumerate(current.categories)]
        )
        self.units, self.units_none = self._unit_rows(units)
        self.unit_tree = self._unit_tree() if unit_tree else []
        self.trend = [self._year_row(y) for y in trend or ()]
        self.charts = self._charts()

    # -- cells -----------------------------------------------------------------------------

    def _cell(self, value, figures, linked=True, **filters):
        """A count, linked to the register's reports behind it when `linked` (a count of
        reports the register can filter to, with `filters`)."""
        link = None
        if linked and self.links is not None and figures is not None:
            link = self.links.url(value, start=figures.start, end=figures.end, **filters)
        return Cell(value, link)

    def _pair(self, key, label, read, linked=True, **filters):
        """A row of `read(figures)` for the period and, when compared, a year earlier."""
        row = Row(
            key=key,
            label=label,
            current=self._cell(read(self.stats), self.stats, linked, **filters),
        )
        if self.compared:
            row.previous = self._cell(read(self.previous), self.previous, linked, **filters)
        return row

    # -- rows --------------------------------------------------------------------------------

    def _kind_row(self, k):
        row = self._pair(k.kind, k.label, lambda s: s.kind(k.kind).count, track=str(k.kind))
        row.share, row.source = k.share, k
        return row

    def _notified_row(self, k):
        """A track that may lead to a notification: its notified cases, shown where the track
        has cases in either period."""
        cases = self._pair(k.kind, k.label, lambda s: s.kind(k.kind).count, linked=False)
        # The register does not filter by notification: no link.
        row = self._pair(k.kind, k.label, lambda s: s.kind(k.kind).notified, linked=False)
        row.share, row.source = k.notified_share, k
        return None if cases.empty else row

    def _totals(self):
        rows = {
            "reports": self._pair("reports", _("Reports"), lambda s: s.reports),
            "unclassified": self._pair(
                "unclassified",
                _("Awaiting classification"),
                lambda s: s.unclassified,
                status=str(AWAITING),
            ),
            "classified": self._pair(
                "classified", _("Classified reports"), lambda s: s.classified, linked=False
            ),
            "not_deviation": self._pair(
                "not-deviation",
                _("Not a deviation"),
                lambda s: s.not_deviation,
                track=str(TrackKind.NOT_DEVIATION),
            ),
            # No filter of the register lists "classified, and not 'not a deviation'".
            "deviations": self._pair(
                "deviations", _("Deviations"), lambda s: s.deviations, linked=False
            ),
        }
        rows["not_deviation"].share = self.stats.not_deviation_share
        return rows

    def _month_row(self, m):
        def cell(value, **filters):
            if self.links is None:
                return Cell(value)
            start, end = self.stats.start, self.stats.end
            return Cell(value, self.links.month(value, m.month, start=start, end=end, **filters))

        row = Row(
            key=m.month.strftime("%Y-%m"),
            label=m.month,
            current=cell(m.reports),
            source=m,
        )
        row.cells = [cell(m.not_deviation, track=str(TrackKind.NOT_DEVIATION))] + [
            cell(m.kinds.get(k.kind, 0), track=str(k.kind)) for k in self.stats.kinds
        ]
        return row

    def _cause_row(self, c):
        before = None
        if self.compared:
            before = next(
                (p for p in self.previous.causes if p.cause.pk == c.cause.pk and p.cause.pk),
                None,
            )
        return Row(
            key=str(c.cause.pk or ""),
            label=c.name,
            current=Cell(c.count),
            previous=Cell(before.count if before else 0) if self.compared else None,
            share=c.share,
            source=c,
        )

    def _category_row(self, i, c):
        """A kind of event: its reports, linked to the register filtered to it (by code, or
        "not stated")."""
        code = (c.category.code if c.category is not None else NOT_STATED) or None
        linked = code is not None and self.links is not None and self.links.offers(c.category)
        row = Row(
            key=(c.category.code or str(i)) if c.category is not None else "not-stated",
            label=c.name,
            current=self._cell(c.count, self.stats, linked=linked, category=code),
            share=c.share,
            source=c,
        )
        if self.compared:
            before = self.previous.categories[i] if i < len(self.previous.categories) else None
            same = before is not None and _same_category(before.category, c.category)
            row.previous = self._cell(
                before.count if same else 0, self.previous, linked=linked, category=code
            )
        return row

    def _unit_rows(self, units):
        """The units right below the scope, most reports first; those without a report in
        either period are counted in one line."""
        if units is None:
            units = _below_top(self.stats.units)
        before = {}
        if self.compared:
            before = {u.node.pk: u.subtree for u in self.previous.units}
        rows = []
        for u in units:
            row = Row(
                key=str(u.node.pk or ""),
                label=u.name,
                current=self._cell(u.subtree, self.stats, unit=u.node),
                source=u,
                label_link=self.unit_link(u.node) if self.unit_link and u.node.pk else None,
            )
            if self.compared:
                row.previous = self._cell(before.get(u.node.pk, 0), self.previous, unit=u.node)
            rows.append(row)
        shown, none = _split(rows)
        shown.sort(key=lambda r: (-_number(r.current.value), -_number(_value(r.previous)), r.label))
        return shown, len(none)

    def _unit_tree(self):
        """Every unit with reports, own and with the units below (the subtree count linked)."""
        rows = []
        for u in self.stats.units:
            if _zero(u.subtree):
                continue
            link = None
            if self.links is not None:
                link = self.links.url(
                    u.subtree, start=self.stats.start, end=self.stats.end, unit=u.node
                )
            rows.append((u, link))
        return rows

    def _year_row(self, year):
        figures = year.figures
        row = Row(
            key=str(year.year),
            label=str(year.year),
            current=self._cell(figures.reports, figures),
            source=year,
        )
        row.cells = [Cell(figures.deviations)] + [
            self._cell(k.count, figures, track=str(k.kind)) for k in figures.kinds
        ]
        return row

    # -- charts ------------------------------------------------------------------------------

    def _charts(self):
        current = self.stats
        several_years = current.start.year != current.end.year
        result = {
            "kinds": charts.horizontal(
                "chart-kinds",
                _("Deviations by track"),
                [(k.label, k.count) for k in current.kinds],
            ),
            "months": charts.columns(
                "chart-months",
                _("Reports per month"),
                [(_month_label(m.month, several_years), m.reports) for m in current.months],
            ),
            "units": charts.horizontal(
                "chart-units",
                _("Reports per unit, including the units below"),
                [(r.label, r.current.value) for r in self.units[:MAX_UNIT_BARS]],
            ),
            "causes": charts.horizontal(
                "chart-causes",
                _("Causes at system level"),
                [(c.name, c.count) for c in current.causes if not _zero(c.count)],
                label_width=300,
            ),
            "categories": charts.horizontal(
                "chart-categories",
                _("Reports by kind of event"),
                [(r.label, r.current.value) for r in self.categories if not _zero(r.current.value)],
                label_width=300,
            ),
        }
        if self.trend:
            result["trend"] = charts.columns(
                "chart-trend",
                _("Reports per year"),
                [(r.label, r.current.value) for r in self.trend],
                height=180,
            )
        return result


def _same_category(a, b):
    if a is None or b is None:
        return a is None and b is None
    return a.pk == b.pk


def _number(value):
    return 0 if value is None or is_hidden(value) else value


def _value(cell):
    return None if cell is None else cell.value


def _month_label(month, several_years):
    return formats.date_format(month, "M y" if several_years else "M")


def _below_top(units):
    """The units right below the top of the scope: the level-1 units, or the top ones where
    there is nothing below them (an analysis's kept figures know the levels only)."""
    return [u for u in units if u.level == 1] or [u for u in units if u.level == 0]


def units_below(units, nodes):
    """The figures (UnitFigure, in path order) of the nodes right below the top of the part of
    the tree shown: the children of the one top node, or the top nodes when there are several
    (a person who holds the key in separate parts of the tree) or the top has none."""
    ids = {n.pk for n in nodes}
    tops = [u for u in units if not set(u.node.ancestor_ids()[:-1]) & ids]
    if len(tops) != 1:
        return tops
    top = tops[0].node.pk
    children = [u for u in units if u.node.ancestor_ids()[-2:-1] == [top]]
    return children or tops
