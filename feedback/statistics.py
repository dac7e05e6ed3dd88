"""The figures of complaints and opinions for a part of the organisation and a year: by kind,
by outcome and per unit directly below, how soon the receipt was confirmed and the answer given
against the targets, the year before, and five years. Read from the feedback the person may see
(`within`) in grouped queries: reading a department's rows with their five times each cost more
than the page may (the times are parsed one by one), their groups are a few hundred.

The same functions give the quality report its figures (`year_figures`): documented, so that the
report's chapter on 5 kap 3 § reads them rather than counting again.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone

from core.kept import kept_each
from feedback.models import Feedback, Kind, Status

TOPIC = "feedback"  # what every year's figures depend on: the tree the units hang in
COUNTED = (Status.RECEIVED, Status.ACKNOWLEDGED, Status.ANSWERED, Status.CLOSED)


ON_TIME, LATE = 1, 2


@dataclass
class YearFigures:
    """One year of feedback in a subtree (received that year)."""

    total: int = 0
    by_kind: Counter = field(default_factory=Counter)
    by_status: Counter = field(default_factory=Counter)
    by_theme: Counter = field(default_factory=Counter)  # theme pk (None: not stated) → n
    by_branch: dict = field(default_factory=dict)  # branch path → Counter of kinds
    acknowledged_on_time: int = 0
    acknowledged_late: int = 0  # late, or still waiting past the target
    answered_on_time: int = 0
    answered_late: int = 0
    mean_days_to_acknowledge: float | None = None
    mean_days_to_answer: float | None = None
    health_care_complaints: int = 0
    to_deviation: int = 0


# Counting a column of the statistics index (feedback.models, `feedback_unit_received`) rather
# than the primary key lets PostgreSQL answer from the index alone.


def _subtree(node, within):
    rows = Feedback.objects.all() if within is None else within
    return rows.filter(unit__path__startswith=node.path, status__in=COUNTED)


def _in_years(node, years, within):
    return (
        _subtree(node, within)
        .filter(received_at__year__gte=min(years), received_at__year__lte=max(years))
        .annotate(year=ExtractYear("received_at"))
        .order_by()
    )


def _met(done, due, now):
    """On time, late (or waiting past the target), or no target: counted in the database, so
    the rows are grouped rather than read (their times would cost more to read than to count)."""
    return Case(
        When(**{f"{due}__isnull": True}, then=Value(0)),
        When(**{f"{done}__lte": F(due)}, then=Value(ON_TIME)),
        When(**{f"{done}__isnull": False}, then=Value(LATE)),
        When(**{f"{due}__lt": now}, then=Value(LATE)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _days(start, end):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def year_figures(node, years, within=None, now=None):
    """{year: YearFigures} for `years` (received in that year) in `node`'s subtree, counting only
    what `within` lets through (a queryset of Feedback; None: everything). Two grouped queries,
    whatever the number of rows."""
    now = now or timezone.now()
    cut = len(node.path) + 9  # a child's path: the node's and one "00000000/" part
    result = {year: YearFigures() for year in years}
    # Two groupings: by the units below (few columns, many groups) and by everything else (few
    # groups): together they would be nearly as many groups as rows.
    branches = (
        _in_years(node, years, within)
        .annotate(branch=Substr("unit__path", 1, cut))
        .values("year", "branch", "kind")
        .annotate(n=Count("unit"))
    )
    for row in branches:
        figures = result.get(row["year"])
        if figures is not None:
            figures.by_branch.setdefault(row["branch"], Counter())[row["kind"]] += row["n"]
    groups = (
        _in_years(node, years, within)
        .annotate(
            acknowledged=_met("acknowledged_at", "acknowledge_due", now),
            answered=_met("answered_at", "answer_due", now),
            reported=Case(
                When(deviation__isnull=False, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .values("year", "kind", "theme", "status", "acknowledged", "answered", "health_care")
        .annotate(
            n=Count("unit"),
            reported_n=Sum("reported"),
            n_acknowledged=Count("acknowledged_at"),
            to_acknowledge=Avg(_days("received_at", "acknowledged_at")),
            n_answered=Count("answered_at"),
            to_answer=Avg(_days("received_at", "answered_at")),
        )
    )
    # The means of the groups, weighted by how many were confirmed or answered in each.
    spent = {year: [timedelta(), 0, timedelta(), 0] for year in years}
    for row in groups:
        figures = result.get(row["year"])
        if figures is None:
            continue
        n, kind = row["n"], row["kind"]
        figures.total += n
        figures.by_kind[kind] += n
        figures.by_status[row["status"]] += n
        figures.by_theme[row["theme"]] += n
        if row["acknowledged"] == ON_TIME:
            figures.acknowledged_on_time += n
        elif row["acknowledged"] == LATE:
            figures.acknowledged_late += n
        if row["answered"] == ON_TIME:
            figures.answered_on_time += n
        elif row["answered"] == LATE:
            figures.answered_late += n
        if row["health_care"] and kind == Kind.COMPLAINT:
            figures.health_care_complaints += n
        figures.to_deviation += row["reported_n"] or 0
        sums = spent[row["year"]]
        if row["n_acknowledged"]:
            sums[0] += row["to_acknowledge"] * row["n_acknowledged"]
            sums[1] += row["n_acknowledged"]
        if row["n_answered"]:
            sums[2] += row["to_answer"] * row["n_answered"]
            sums[3] += row["n_answered"]
    for year, (acknowledge, acknowledged, answer, answered) in spent.items():
        result[year].mean_days_to_acknowledge = _in_days(
            acknowledge / acknowledged if acknowledged else None
        )
        result[year].mean_days_to_answer = _in_days(answer / answered if answered else None)
    return result


def _in_days(duration):
    return None if duration is None else round(duration.total_seconds() / 86400, 1)


def totals_by_year(node, years, within=None):
    """{year: {kind: n}} of feedback received in `years`: one grouped query (the trend)."""
    rows = _in_years(node, years, within).values("year", "kind").annotate(n=Count("unit"))
    found = {year: Counter() for year in years}
    for row in rows:
        if row["year"] in found:
            found[row["year"]][row["kind"]] = row["n"]
    return found


def year_topic(year):
    """The figures of the feedback received in `year` (core/kept.py)."""
    return f"{TOPIC}.{year}"


def kept_figures(node, years, trend_years, within, scope):
    """(year_figures of `years`, totals_by_year of `trend_years`), each year kept on its own
    until feedback received that year changes (feedback/kept_figures.py), under `scope` (what
    `within` lets through, as a value: accounts.scoping.scope_signature). Whether a target was
    met moves with the clock as well as with the rows: the detailed years are counted again
    each day."""
    today = timezone.localdate().isoformat()
    parts = {("detail", year): year for year in years}
    # A year counted in detail gives its own totals: the trend reads only the years before.
    parts.update({("trend", year): year for year in trend_years if year not in years})

    def count(missing):
        detail = [year for kind, year in missing if kind == "detail"]
        trend = [year for kind, year in missing if kind == "trend"]
        counted = {}
        if detail:
            for year, figures in year_figures(node, detail, within).items():
                counted[("detail", year)] = figures
        if trend:
            for year, kinds in totals_by_year(node, trend, within).items():
                counted[("trend", year)] = kinds
        return {part: counted[part] for part in missing}

    topics = {
        part: (
            (TOPIC, year_topic(year)),
            (node.pk, node.path, *part, scope, today if part[0] == "detail" else ""),
        )
        for part, year in parts.items()
    }
    found = kept_each(topics, count)
    detail = {year: found[("detail", year)] for year in years}
    return (
        detail,
        {
            year: detail[year].by_kind if year in detail else found[("trend", year)]
            for year in trend_years
        },
    )


def period_rows(node, start, end):
    """Feedback received from `start` to `end` (days, both included, local time) in `node`'s
    subtree, per unit, kind and theme, with how many became a deviation report: what the
    aggregated analysis reads next to the deviations of the same period (analysis/together.py).
    One grouped query."""
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    return list(
        _subtree(node, None)
        .filter(received_at__gte=since, received_at__lt=until)
        .order_by()
        .values("unit_id", "kind", "theme_id")
        .annotate(n=Count("unit"), reported=Count("deviation"))
    )
