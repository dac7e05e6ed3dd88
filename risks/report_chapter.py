"""Risk analysis in the yearly quality report (SOSFS 2011:9 5 kap 1 §): the analyses made in the
year in the report's part of the organisation, counted by risks/report_figures.py (the same
figures as the statistics page, each a link to the register or the statistics with exactly
those rows), with their events by risk level, their measures and the units directly below; the
analyses decided in the year, and the decided ones past their review date today. The patient
safety report reads the same figures of the health-care part only (legal/health_care.py).
Registered in risks/registrations.py (core/chapters.py)."""

from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.chapters import Figure, Part, Table, share
from legal.health_care import health_care_nodes
from risks import report_figures
from risks.forms import FUNCTIONS_MISSING, FUNCTIONS_PRESENT
from risks.models import RiskAnalysis, RiskAnalysisTransition, Status, SubjectKind
from risks.models.matrix import matrix_for


def _decided_and_worked_on(scope, year, within=None):
    """(decided in the year, made or decided in the year) of the subtree's analyses. Decided is
    read from the transitions, not from decided_at: deciding again later overwrites it, and a
    decision stays a decision of its year when the analysis is reopened after it."""
    decided = Exists(
        RiskAnalysisTransition.objects.filter(
            analysis=OuterRef("pk"), to_status=Status.DECIDED, at__year=year
        )
    )
    analyses = RiskAnalysis.objects.all() if within is None else within
    counts = (
        analyses.filter(unit__path__startswith=scope.path)
        .annotate(decided_in_year=decided)
        .aggregate(
            decided=Count("pk", filter=Q(decided_in_year=True)),
            either=Count("pk", filter=Q(decided_in_year=True) | Q(created_at__year=year)),
        )
    )
    return counts["decided"], counts["either"]


def _unit_name(row):
    return _("%(unit)s itself") % {"unit": row.node.name} if row.is_self else row.node.name


def risk_analysis(scope, year):
    return _risk_analysis(scope, year)


def health_care_risk_analysis(scope, year):
    """The patient safety report's chapter: the risk analyses of the health-care part."""
    within = RiskAnalysis.objects.filter(unit__in=health_care_nodes(scope))
    return _risk_analysis(scope, year, within)


def _risk_analysis(scope, year, within=None):
    both = report_figures.analyses_made_in(scope, [year - 1, year], within)
    made, before = both[year], both[year - 1]
    matrix = matrix_for(scope)
    high = matrix.levels[-1]
    levels = report_figures.events_by_level(scope, year, within)
    measures = report_figures.measures(scope, year, within)
    decided, worked_on = _decided_and_worked_on(scope, year, within)
    analyses = RiskAnalysis.objects.all() if within is None else within
    overdue = analyses.filter(unit__path__startswith=scope.path).overdue().count()
    with_functions = share(made.with_required_functions, made.total)
    # The statistics know no health-care part: the patient safety report links the register only.
    linked = within is None

    def register(**query):
        part = {} if linked else {"health_care": "on"}
        return reverse("risks:register") + "?" + urlencode({"node": scope.pk, **part, **query})

    statistics = (
        reverse("risks:statistics") + "?" + urlencode({"node": scope.pk, "year": year})
        if linked
        else ""
    )
    part = Part(heading=_("Risk analyses") if linked else _("Risk analyses in health care"))
    part.figures = [
        Figure(_("Risk analyses made"), made.total, url=register(year=year)),
        Figure(
            _("With every required function taking part"),
            made.with_required_functions,
            url=register(year=year, functions=FUNCTIONS_PRESENT),
        ),
        Figure(
            _("Missing a required function"),
            made.without_required_functions,
            url=register(year=year, functions=FUNCTIONS_MISSING),
        ),
        Figure(_("Share with every required function"), with_functions, share=True),
        Figure(
            _("Risk analyses decided"),
            decided,
            note=_("also those made in an earlier year"),
        ),
        Figure(_("Events assessed"), sum(levels["before"].values()), url=statistics),
        Figure(
            _("Events at the highest risk level"),
            levels["before"].get(high["code"], 0),
            url=statistics,
            note=str(high["label"]),
        ),
        Figure(
            _("Still at the highest risk level after the measures"),
            levels["after"].get(high["code"], 0),
            url=statistics,
            note=_("of %(rescored)s events assessed again after the measures")
            % {"rescored": sum(levels["after"].values())},
        ),
        Figure(_("Measures decided"), measures["made"], url=statistics),
        Figure(_("Measures carried out"), measures["done"], url=statistics),
        Figure(
            _("Decided analyses past their review date"),
            overdue,
            url=register(overdue=1),
            note=_("today, whatever the year they were made"),
        ),
    ]
    part.tables = [
        Table(
            caption=_("Risk analyses per subject, and the year before"),
            columns=[_("What is analysed"), str(year), str(year - 1)],
            rows=[
                [label, made.by_subject[kind], before.by_subject[kind]]
                for kind, label in SubjectKind.choices
            ],
        ),
        Table(
            caption=_("Events per risk level, before and after the measures"),
            columns=[_("Risk level"), _("Before the measures"), _("After the measures")],
            rows=[
                [
                    str(level["label"]),
                    levels["before"].get(level["code"], 0),
                    levels["after"].get(level["code"], 0),
                ]
                for level in reversed(matrix.levels)
            ],
        ),
        Table(
            caption=_("Per unit, including the units below"),
            columns=[_("Unit"), _("Risk analyses"), _("High risks"), _("Measures")],
            rows=[
                [_unit_name(row), row.analyses, row.high, row.measures]
                for row in report_figures.by_unit(scope, year, within, level=high["code"])
                if (row.node.is_active and linked) or not row.is_zero
            ],
        ),
    ]
    part.facts = {
        "risk_analyses": worked_on,
        "risk_analyses_made": made.total,
        "risk_analyses_decided": decided,
        "risk_analyses_with_required_functions_share": with_functions,
        "high_risks": levels["before"].get(high["code"], 0),
        "risk_measures": measures["made"],
        "risk_measures_done": measures["done"],
        "risk_reviews_overdue": overdue,
    }
    return part
