"""The risk statistics page's figures, read once: the analyses of the years shown, their events
and their measures as three lists of rows, counted in Python.

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
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import ExtractYear

from actions.models import Action
from core.queries import AnyOf
from risks.models import RiskAnalysis, RiskEvent, SubjectKind
from risks.report_figures import DONE, AnalysesMade, _in_years, unit_rows
from risks.rules import required_functions_met_q


class Snapshot:
    """The analyses of `node`'s subtree made in `years` (only those in `within`, when given),
    their events and their measures."""

    def __init__(self, node, years, within=None):
        self.node = node
        self.years = sorted(set(years))
        met = ExpressionWrapper(required_functions_met_q() or Q(pk__isnull=False), BooleanField())
        cut = len(node.path) + 9  # a child's path: the node's and one "00000000/" part
        rows = (
            _in_years(node, self.years, within)
            .order_by()
            .annotate(met=met, year=ExtractYear("created_at"))
            .values_list("pk", "year", "subject_kind", "met", "unit__path")
        )
        # Each row is counted once, into every grouping the page shows.
        self._made, self._made_branch, analyses = Counter(), Counter(), {}
        for pk, year, kind, met, path in rows:
            branch = path[:cut]
            analyses[pk] = (year, branch)
            self._made[(year, kind, met)] += 1
            self._made_branch[(year, branch)] += 1
        events = (
            RiskEvent.objects.filter(AnyOf("analysis_id", analyses))
            .order_by()
            .values_list(
                "pk",
                "analysis_id",
                "level",
                "residual_level",
                "likelihood",
                "consequence",
                "residual_likelihood",
                "residual_consequence",
            )
        )
        self._before, self._after, self._heat, self._heat_after = (Counter() for _ in range(4))
        self._level_branch, event_year = Counter(), {}
        for pk, analysis_id, level, residual, lik, con, rlik, rcon in events:
            year, branch = analyses[analysis_id]
            event_year[pk] = year
            self._before[(year, level)] += 1
            self._heat[(year, lik, con)] += 1
            self._level_branch[(year, level, branch)] += 1
            if residual:
                self._after[(year, residual)] += 1
            if rlik is not None and rcon is not None:
                self._heat_after[(year, rlik, rcon)] += 1
        types = ContentType.objects.get_for_models(RiskAnalysis, RiskEvent)
        # The measures in the subtree, of an analysis or an event found above.
        actions = (
            Action.objects.filter(
                source_type_id__in=[types[RiskAnalysis].pk, types[RiskEvent].pk],
                unit__path__startswith=node.path,
            )
            .order_by()
            .values_list("source_type_id", "source_id", "status", "unit__path")
        )
        self._measures, self._measure_branch = Counter(), Counter()
        for source_type, source_id, status, path in actions:
            if source_type == types[RiskAnalysis].pk:
                year = analyses.get(source_id, (None,))[0]
            else:
                year = event_year.get(source_id)
            if year is not None:
                self._measures[(year, status in DONE)] += 1
                self._measure_branch[(year, path[:cut])] += 1
        self._cut = cut

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
