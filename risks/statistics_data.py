"""The risk statistics page's figures, read once: the analyses of the years shown in detail
(the chosen year and the one before), their events and their measures as three lists of rows,
counted in Python; for the earlier years of the trend only two numbers a year, grouped in the
database.

The page shows the same figures as risks/report_figures.py for five years, the year before and
the units below; asked of report_figures, that is about fifteen grouped queries over the same
analyses, each joining the tree again (a department of a large municipality: 150 ms). A
department's five years are a few thousand analyses and events, read in three queries. (Grouped
in the database instead, the same figures took longer: grouped by the units below and the scores,
the groups are nearly as many as the rows, and each grouped query joins the tree again.)
`Snapshot` answers with report_figures' own shapes and definitions, and
tests/test_risks_statistics.py checks that the two agree.
"""

from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.db.models.functions import ExtractYear

from actions.models import Action
from core.kept import kept_each
from risks.models import RiskAnalysis, RiskEvent, SubjectKind
from risks.report_figures import DONE, AnalysesMade, _in_years, unit_rows
from risks.rules import required_functions_met_q

TOPIC = "risks"  # what every year's figures depend on: the rules, the matrices, the tree
COUNTS = (
    "_made",
    "_made_branch",
    "_before",
    "_after",
    "_heat",
    "_heat_after",
    "_level_branch",
    "_measures",
    "_measure_branch",
    "_trend_made",
    "_trend_before",
)


def year_topic(year):
    """The figures of the analyses made in `year`."""
    return f"{TOPIC}.{year}"


class Snapshot:
    """The analyses of `node`'s subtree made in `years` (only those in `within`, when given),
    their events and their measures; for `trend_years`, only the analyses made and the events
    by risk level (`made_total`, `events_before`). With `scope` (what `within` lets through,
    as a value: the same for everyone who sees the same), the counts are kept until a risk
    analysis, event, participant, rule or measure changes (core/kept.py)."""

    def __init__(self, node, years, within=None, trend_years=(), scope=None):
        self.node = node
        self.years = sorted(set(years))
        trend = sorted(set(trend_years) - set(self.years))
        self._cut = len(node.path) + 9
        # Kept a year at a time, each until something of that year changes: the first visit
        # after a change counts again only the year it touched; years not kept are counted
        # together and kept apart.
        parts = {("detail", year): year for year in self.years}
        parts.update({("trend", year): year for year in trend})

        def count(missing):
            detail = [year for kind, year in missing if kind == "detail"]
            trend = [year for kind, year in missing if kind == "trend"]
            counted = _by_year(_count(node, detail, within), detail) if detail else {}
            if trend:
                counted.update(_by_year(_grouped(node, trend, within), trend, kind="trend"))
            return {part: counted[part] for part in missing}

        if scope is None:
            found = count(list(parts))
        else:
            topics = {
                part: ((TOPIC, year_topic(year)), (node.pk, node.path, *part, scope))
                for part, year in parts.items()
            }
            found = kept_each(topics, count)
        for name in COUNTS:
            total = Counter()
            for figures in found.values():
                total.update(figures.get(name, {}))
            setattr(self, name, total)

    def made_total(self, year):
        """The analyses made in `year`, a year of `years` or of `trend_years`."""
        if year in self.years:
            return sum(n for (y, _kind, _met), n in self._made.items() if y == year)
        return self._trend_made[year]

    def events_before(self, year, level):
        """The events of the analyses of `year` at risk level `level` before the measures."""
        if year in self.years:
            return self._before[(year, level)]
        return self._trend_before[(year, level)]

    def analyses_made_in(self, years):
        counts = self._made
        result = {}
        for y in years:
            made = AnalysesMade()
            for kind in SubjectKind.values:
                with_, without = counts[(y, kind, True)], counts[(y, kind, False)]
                made.by_subject[kind] = with_ + without
                made.functions_by_subject[kind] = (with_, without)
                made.total += with_ + without
                made.with_required_functions += with_
                made.without_required_functions += without
            result[y] = made
        return result

    def events_by_level_in(self, years):
        return {
            y: {
                "before": {level: n for (year, level), n in self._before.items() if year == y},
                "after": {level: n for (year, level), n in self._after.items() if year == y},
            }
            for y in years
        }

    def heat_counts(self, year):
        return {
            "before": {(lik, con): n for (y, lik, con), n in self._heat.items() if y == year},
            "after": {(lik, con): n for (y, lik, con), n in self._heat_after.items() if y == year},
        }

    def measures(self, year):
        done = self._measures[(year, True)]
        return {"made": done + self._measures[(year, False)], "done": done}

    def by_unit(self, year, level, children):
        """As report_figures.by_unit, `children` the units below the node (a queryset)."""
        node = self.node
        children = list(children.filter(parent=node).order_by("name", "pk"))

        def of_year(counts):
            return {key[-1]: n for key, n in counts.items() if key[0] == year}

        high = {
            branch: n
            for (y, event_level, branch), n in self._level_branch.items()
            if y == year and event_level == level
        }
        made, done = of_year(self._made_branch), of_year(self._measure_branch)
        return unit_rows(node, children, made, high, done)


def _events_of(node, years, within):
    """The events of the analyses `_in_years` chooses, by joining them: a few thousand ids cost
    more to send and plan than the join, and a subquery of them more than its conditions."""
    events = RiskEvent.objects.filter(
        analysis__unit__path__startswith=node.path,
        analysis__created_at__year__gte=min(years),
        analysis__created_at__year__lte=max(years),
    )
    return events if within is None else events.filter(analysis__in=within.values("pk"))


def _grouped(node, years, within):
    """The analyses made per year and the events per year and level of the subtree in `years`
    (the Snapshot's counts of its trend years): two grouped queries."""
    chosen = _in_years(node, years, within).order_by()
    made = chosen.annotate(year=ExtractYear("created_at")).values("year").annotate(n=Count("pk"))
    events = (
        _events_of(node, years, within)
        .order_by()
        .annotate(year=ExtractYear("analysis__created_at"))
        .values("year", "level")
        .annotate(n=Count("pk"))
    )
    return {
        "_trend_made": Counter({row["year"]: row["n"] for row in made if row["year"] in years}),
        "_trend_before": Counter(
            {(row["year"], row["level"]): row["n"] for row in events if row["year"] in years}
        ),
    }


def _count(node, years, within):
    """The Snapshot's counts of `years`, by attribute name: plain Counters, kept as they are."""
    met = ExpressionWrapper(required_functions_met_q() or Q(pk__isnull=False), BooleanField())
    cut = len(node.path) + 9  # a child's path: the node's and one "00000000/" part
    chosen = _in_years(node, years, within).order_by()
    rows = list(
        chosen.annotate(met=met, year=ExtractYear("created_at")).values_list(
            "pk", "year", "subject_kind", "met", "unit__path"
        )
    )
    # Each row is counted once into every grouping the page shows, by Counter from an iterable
    # (counted in C).
    analyses = {pk: (year, path[:cut]) for pk, year, _kind, _met, path in rows}
    events = [
        (analyses[analysis_id], *scores)
        for analysis_id, *scores in _events_of(node, years, within)
        .order_by()
        .values_list(
            "analysis_id",
            "level",
            "residual_level",
            "likelihood",
            "consequence",
            "residual_likelihood",
            "residual_consequence",
            "pk",
        )
    ]
    event_year = {pk: at[0] for at, *_scores, pk in events}
    types = ContentType.objects.get_for_models(RiskAnalysis, RiskEvent)
    of_analysis = types[RiskAnalysis].pk
    # The measures in the subtree, of an analysis or an event found above (decided when the
    # analysis was made or later).
    actions = (
        Action.objects.filter(
            source_type_id__in=[of_analysis, types[RiskEvent].pk],
            unit__path__startswith=node.path,
            created_at__year__gte=min(years),
        )
        .order_by()
        .values_list("source_type_id", "source_id", "status", "unit__path")
    )
    measures = []
    for source_type, source_id, status, path in actions:
        if source_type == of_analysis:
            year = analyses.get(source_id, (None,))[0]
        else:
            year = event_year.get(source_id)
        if year is not None:
            measures.append((year, status in DONE, path[:cut]))
    return {
        "_made": Counter((year, kind, met) for _pk, year, kind, met, _path in rows),
        "_made_branch": Counter(analyses.values()),
        "_before": Counter((at[0], level) for at, level, *_ in events),
        "_after": Counter((at[0], residual) for at, _l, residual, *_ in events if residual),
        "_heat": Counter((at[0], lik, con) for at, _l, _r, lik, con, *_ in events),
        "_heat_after": Counter(
            (at[0], rlik, rcon)
            for at, _l, _r, _li, _co, rlik, rcon, _pk in events
            if rlik is not None and rcon is not None
        ),
        "_level_branch": Counter((at[0], level, at[1]) for at, level, *_ in events),
        "_measures": Counter((year, done) for year, done, _branch in measures),
        "_measure_branch": Counter((year, branch) for year, _done, branch in measures),
    }


def _by_year(counts, years, kind="detail"):
    """Counts of several years split into {(kind, year): counts of that year}: every key begins
    with its year (or is it)."""
    split = {(kind, year): {name: Counter() for name in counts} for year in years}
    for name, counter in counts.items():
        for key, n in counter.items():
            year = key if isinstance(key, int) else key[0]
            if (kind, year) in split:  # a year between those asked is read, not kept
                split[(kind, year)][name][key] = n
    return split
