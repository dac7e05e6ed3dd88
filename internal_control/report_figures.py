"""Figures of the internal control for the yearly quality report (issue 7), per board and year.

Each function takes the board (an OrgNode of kind board) and the year and reads the board's
plan of that year; a board without a plan gives zeros. The quality report reads them.

- `control_points_planned(board, year)`: the number of control points in the plan;
- `results_by_outcome(board, year)`: {"without_remark": n, "with_remark": n, "not_done": n},
  the results recorded for the plan's reporting dates;
- `actions_made(board, year)`: the number of actions whose source is one of those results;
- `figures(board, year)`: all three in one dict.

`plan_rows(plan, until=None)` gives the rows the report page and the exports show.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch

from actions.models import Action
from internal_control.models import (
    ControlPoint,
    ControlResult,
    Outcome,
    ReportingDate,
)


def control_points_planned(board, year):
    """How many control points the board's plan of the year holds (0 without a plan)."""
    return ControlPoint.objects.filter(plan__board=board, plan__year=year).count()


def results_by_outcome(board, year):
    """The results recorded in the board's plan of the year, counted by outcome (every outcome
    present, 0 where none)."""
    counts = dict.fromkeys(Outcome.values, 0)
    rows = (
        ControlResult.objects.filter(
            reporting_date__control_point__plan__board=board,
            reporting_date__control_point__plan__year=year,
        )
        .values("outcome")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["outcome"]] = row["n"]
    return counts


def _result_actions(result_ids):
    kind = ContentType.objects.get_for_model(ControlResult)
    return Action.objects.filter(source_type=kind, source_id__in=result_ids)


def actions_made(board, year):
    """How many actions were made from the results of the board's plan of the year."""
    ids = ControlResult.objects.filter(
        reporting_date__control_point__plan__board=board,
        reporting_date__control_point__plan__year=year,
    ).values("pk")
    return _result_actions(ids).count()


def figures(board, year):
    return {
        "control_points_planned": control_points_planned(board, year),
        "results_by_outcome": results_by_outcome(board, year),
        "actions_made": actions_made(board, year),
    }


@dataclass
class DateRow:
    due_on: object
    result: object = None
    actions: list = field(default_factory=list)


@dataclass
class PointRow:
    point: object
    dates: list


def plan_rows(plan, until=None):
    """The plan's control points with their reporting dates (up to `until`), results and the
    actions of the results, in a fixed number of queries."""
    dates = ReportingDate.objects.order_by("due_on", "pk")
    if until is not None:
        dates = dates.filter(due_on__lte=until)
    points = list(
        ControlPoint.objects.filter(plan=plan)
        .select_related("method", "responsible")
        .prefetch_related(Prefetch("reporting_dates", queryset=dates))
        .order_by("position", "pk")
    )
    date_ids = [d.pk for p in points for d in p.reporting_dates.all()]
    results = {
        r.reporting_date_id: r for r in ControlResult.objects.filter(reporting_date_id__in=date_ids)
    }
    actions = {}
    for action in _result_actions([r.pk for r in results.values()]).select_related("owner"):
        actions.setdefault(action.source_id, []).append(action)
    rows = []
    for point in points:
        date_rows = []
        for d in point.reporting_dates.all():
            res = results.get(d.pk)
            date_rows.append(DateRow(d.due_on, res, actions.get(res.pk, []) if res else []))
        rows.append(PointRow(point, date_rows))
    return rows
