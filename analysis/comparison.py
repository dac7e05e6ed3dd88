"""The figures of the same period a year earlier, and the trend over five calendar years.

A board reads a figure against last year's: "120 reports, +12 (+11 %)". The same period a year
earlier is the chosen period moved back one year (29 February becomes 28 February), counted with
the same scope, track and small-cell protection as the period itself (analysis/reading.py), in
the same grouped queries (analysis.stats.compute_periods), without the trend per month.

The trend shows the last five calendar years up to the year the period ends, from the yearly
sums of the kept counts (analysis/buckets.py): one grouped query whatever the number of units
or reports. A year the period itself covers exactly (or the period a year earlier) shows that
period's figures, so one page never shows the same count protected in two ways.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from analysis import stats, suppression
from analysis.models import ReportCount, Span
from analysis.sources import DEVIATION_KINDS, KIND_COLUMNS
from legal.rules import TrackKind

TREND_YEARS = 5
KEEP = 600  # seconds, as analysis/reading.py keeps the period's numbers


def year_earlier(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def previous_period(start, end):
    return year_earlier(start), year_earlier(end)


@dataclass
class YearFigure:
    year: int
    figures: object  # analysis.stats.Statistics of the calendar year
    so_far: bool = False  # the year is not over yet

    @property
    def start(self):
        return datetime.date(self.year, 1, 1)

    @property
    def end(self):
        return datetime.date(self.year, 12, 31)


def _year_statistics(year, row, kind):
    """A calendar year's totals and tracks from the yearly report counts, in the shape (and with
    the meaning, track filter included) of analysis.stats.compute."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    result = stats.Statistics(start=start, end=end, kind_filter=kind or "")
    row = row or {}
    if kind:
        result.reports = row.get(kind) or 0
        if kind == TrackKind.NOT_DEVIATION:
            result.not_deviation = result.reports
    else:
        result.reports = row.get("reports") or 0
        result.unclassified = row.get("unclassified") or 0
        result.not_deviation = row.get(TrackKind.NOT_DEVIATION) or 0
    deviations = result.deviations
    for name in DEVIATION_KINDS:
        count = (row.get(name) or 0) if not kind or kind == name else 0
        result.kinds.append(
            stats.KindFigure(kind=name, count=count, share=stats.share(count, deviations))
        )
    return result


def trend(*, end, node_ids, kind, hidden_kinds, known=(), today=None, key=None):
    """The last TREND_YEARS calendar years up to `end`'s year, oldest first. `known`: figures
    already read and protected (the period, the period a year earlier), used for a year they
    cover exactly. `key`: where the yearly sums are kept between requests (analysis/reading.py).
    """
    today = today or timezone.localdate()
    years = list(range(end.year - TREND_YEARS + 1, end.year + 1))
    rows = cache.get(key) if key else None
    if rows is None:
        rows = _yearly_sums(years, node_ids)
        if key:
            cache.set(key, rows, KEEP)
    exact = {(f.start, f.end): f for f in known if f is not None}
    result = []
    for year in years:
        figure = YearFigure(year=year, figures=None, so_far=today <= datetime.date(year, 12, 31))
        figures = exact.get((figure.start, figure.end))
        if figures is None:
            figures = _year_statistics(year, rows.get(year), kind)
            suppression.protect(figures, hidden_kinds)
        figure.figures = figures
        result.append(figure)
    return result


def _yearly_sums(years, node_ids):
    """{year: the sums of the units' yearly report counts}: one grouped query."""
    sums = {"reports": Sum("reports"), "unclassified": Sum("unclassified")}
    sums.update({str(name): Sum(str(name)) for name in KIND_COLUMNS})
    return {
        row["month"].year: row
        for row in ReportCount.objects.filter(
            stats.of_units(node_ids),
            span=Span.YEAR,
            # A range, so that the index reads just these years.
            month__gte=datetime.date(years[0], 1, 1),
            month__lte=datetime.date(years[-1], 1, 1),
        )
        .order_by()
        .values("month")
        .annotate(**sums)
    }
