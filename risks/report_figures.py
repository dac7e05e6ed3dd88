"""Figures of the risk analyses for the yearly quality report (kvalitetsberättelse) and the
risk analyses' statistics page (risks/views/statistics.py).

Each function takes an org node and a year and counts what belongs to the node's subtree (the
node and every unit below it) in that calendar year, by the analysis's creation date. They read
no permissions: the caller decides who may see the node's figures, and may pass `within`, a
queryset of risk analyses (the statistics page passes `RiskAnalysis.objects.visible_to(user)`),
to count only those. Each is aggregated in SQL and reads a fixed number of queries whatever the
number of analyses, events and measures.

- `analyses_made(node, year)`: how many risk analyses were made, by subject kind, and how many
  had the functions the rule table requires among their participants (also per subject kind);
  `analyses_made_in(node, years)` the same for several years in one go;
- `events_by_level(node, year)`: the events by risk level, before and after the measures;
  `events_by_level_in(node, years)` the same for several years in one go;
- `heat_counts(node, year)`: the events per cell of the matrix, before and after the measures;
- `measures(node, year)`: the measures (actions) made for those analyses and how many are done;
- `high_level(node)`: the code of the highest risk level of the node's matrix ("high risk");
- `by_unit(node, year)`: per unit directly below the node (and the node itself): analyses, high
  risks and measures;
- `trend(node, years)`: per year, the analyses made and the events at the highest level.

The statistics page reads the same figures from one reading of the rows
(risks/statistics_data.py); tests/test_risks_statistics.py checks that both agree.
"""

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Q,
)
from django.db.models.functions import Substr

from actions.models import Action
from actions.models import Status as ActionStatus
from risks.models import RiskAnalysis, RiskEvent, SubjectKind
from risks.models.matrix import matrix_for
from risks.rules import required_functions_met_q
from risks.services.measures import measures_q

DONE = (ActionStatus.DONE, ActionStatus.EFFECT_CHECKED)


@dataclass
class AnalysesMade:
    total: int = 0
    by_subject: dict = field(default_factory=dict)  # subject kind → count, every kind listed
    with_required_functions: int = 0
    without_required_functions: int = 0
    # subject kind → (with, without) the required functions, every kind listed
    functions_by_subject: dict = field(default_factory=dict)


def _subtree(node, within=None):
    queryset = RiskAnalysis.objects.all() if within is None else within
    return queryset.filter(unit__path__startswith=node.path)


def _analyses(node, year, within=None):
    return _subtree(node, within).filter(created_at__year=year)


def _in_years(node, years, within=None):
    return _subtree(node, within).filter(
        created_at__year__gte=min(years), created_at__year__lte=max(years)
    )


def analyses_made(node, year, within=None):
    """Risk analyses of the subtree made in `year`: the total, by subject kind, and how many had
    every required function (risks.rules.required_functions_met_q: the rule table applied to
    each analysis's scope), in three queries."""
    return analyses_made_in(node, [year], within)[year]


def analyses_made_in(node, years, within=None):
    """{year: AnalysesMade} (as `analyses_made`) for each of `years`, in three queries."""
    years = list(years)
    # Whether the analysis had its required functions, worked out once per row and grouped on.
    met = ExpressionWrapper(required_functions_met_q() or Q(pk__isnull=False), BooleanField())
    counts = {f"n{y}": Count("pk", filter=Q(created_at__year=y)) for y in years}
    rows = (
        _in_years(node, years, within)
        .order_by()
        .annotate(met=met)
        .values("subject_kind", "met")
        .annotate(**counts)
    )
    by_kind = {}
    for row in rows:
        for y in years:
            n, met_n = by_kind.get((row["subject_kind"], y), (0, 0))
            n += row[f"n{y}"]
            met_n += row[f"n{y}"] if row["met"] else 0
            by_kind[row["subject_kind"], y] = (n, met_n)
    result = {}
    for y in years:
        made = AnalysesMade()
        for kind in SubjectKind.values:
            n, met_n = by_kind.get((kind, y), (0, 0))
            made.by_subject[kind] = n
            made.functions_by_subject[kind] = (met_n, n - met_n)
            made.total += n
            made.with_required_functions += met_n
            made.without_required_functions += n - met_n
        result[y] = made
    return result


def _events(node, year, within=None):
    return RiskEvent.objects.filter(analysis__in=_analyses(node, year, within).values("pk"))


def events_by_level(node, year, within=None):
    """{"before": {level: n}, "after": {level: n}}: the events of the subtree's analyses of
    `year` by risk level (codes of the organisation's matrix), and those scored after the
    measures by their residual level."""
    return events_by_level_in(node, [year], within)[year]


def events_by_level_in(node, years, within=None):
    """{year: {"before": …, "after": …}} (as `events_by_level`) for each of `years`, in two
    queries."""
    years = list(years)
    events = RiskEvent.objects.filter(
        analysis__in=_in_years(node, years, within).values("pk")
    ).order_by()
    per_year = {f"y{y}": Count("pk", filter=Q(analysis__created_at__year=y)) for y in years}
    before = list(events.values("level").annotate(**per_year))
    after = list(events.exclude(residual_level="").values("residual_level").annotate(**per_year))
    return {
        y: {
            "before": {row["level"]: row[f"y{y}"] for row in before if row[f"y{y}"]},
            "after": {row["residual_level"]: row[f"y{y}"] for row in after if row[f"y{y}"]},
        }
        for y in years
    }


def heat_counts(node, year, within=None):
    """{"before": {(likelihood, consequence): n}, "after": {…}}: the events of the subtree's
    analyses of `year` per cell of the matrix (what RiskMatrix.grid takes), before the measures
    and, for those scored again, after them."""
    events = _events(node, year, within).order_by()
    before = events.values_list("likelihood", "consequence").annotate(n=Count("pk"))
    after = (
        events.filter(residual_likelihood__isnull=False, residual_consequence__isnull=False)
        .values_list("residual_likelihood", "residual_consequence")
        .annotate(n=Count("pk"))
    )
    return {
        "before": {(lik, con): n for lik, con, n in before},
        "after": {(lik, con): n for lik, con, n in after},
    }


def measures(node, year, within=None):
    """{"made": n, "done": n}: the actions made for the subtree's analyses of `year` (of the
    analyses or their events), and how many of them are done (effect-checked included)."""
    ids = _analyses(node, year, within).values("pk")
    # In the subtree, as `by_unit` places them: a measure moved out of it is counted there.
    actions = Action.objects.filter(measures_q(ids), unit__path__startswith=node.path)
    return actions.aggregate(made=Count("pk"), done=Count("pk", filter=Q(status__in=DONE)))


def high_level(node):
    """The code of the highest risk level of the matrix of the node's organisation: the events
    counted as high risks."""
    return matrix_for(node).levels[-1]["code"]


@dataclass
class UnitRow:
    node: object
    analyses: int = 0
    high: int = 0
    measures: int = 0
    is_self: bool = False  # the chosen node's own analyses, not of a unit below

    @property
    def is_zero(self):
        return not (self.analyses or self.high or self.measures)


def by_unit(node, year, within=None, level=None, children=None):
    """Per unit directly below the node, each with its own subtree, and for the node itself
    (its own analyses, `is_self`): the analyses made in `year`, their events at the highest
    risk level (`level`, default `high_level(node)`) and their measures; sorted most first.
    `children` narrows the units below (a queryset of org nodes, e.g. those the person may see).
    Five queries, grouped by the first part of the path below the node."""
    from organisation.models import OrgNode

    children = (OrgNode.objects.all() if children is None else children).filter(parent=node)
    children = list(children.order_by("name", "pk"))
    level = level or high_level(node)
    cut = len(node.path) + 9  # the path of a child: the node's path and one "00000000/" part
    analyses = _analyses(node, year, within)
    made = _by_branch(analyses, "unit__path", cut)
    high = _by_branch(
        RiskEvent.objects.filter(analysis__in=analyses.values("pk"), level=level),
        "analysis__unit__path",
        cut,
    )
    # A measure is made in its analysis's unit (services.measures.add_measure) and moves with
    # it: its own unit places it, without looking up its source row by row.
    actions = Action.objects.filter(
        measures_q(analyses.values("pk")), unit__path__startswith=node.path
    )
    done = _by_branch(actions, "unit__path", cut)
    return unit_rows(node, children, made, high, done)


def unit_rows(node, children, made, high, done):
    """The rows of `by_unit` from counts per branch path (the node's own, each child's)."""
    rows = [
        UnitRow(node, made.get(node.path, 0), high.get(node.path, 0), done.get(node.path, 0), True)
    ]
    rows += [
        UnitRow(c, made.get(c.path, 0), high.get(c.path, 0), done.get(c.path, 0)) for c in children
    ]
    rows = [row for row in rows if not (row.is_self and row.is_zero)]
    rows.sort(key=lambda r: (-r.analyses, -r.high, -r.measures, r.node.name))
    return rows


def _by_branch(queryset, path_name, cut):
    return dict(
        queryset.order_by()
        .annotate(branch=Substr(path_name, 1, cut))
        .values_list("branch")
        .annotate(n=Count("pk"))
        .values_list("branch", "n")
    )


def trend(node, years, within=None, level=None):
    """{year: (analyses made, events at the highest level)} for each of `years`, in five
    queries (`analyses_made_in` and `events_by_level_in`)."""
    level = level or high_level(node)
    made = analyses_made_in(node, years, within)
    levels = events_by_level_in(node, years, within)
    return {y: (made[y].total, levels[y]["before"].get(level, 0)) for y in years}
