"""The risk analyses' statistics: per year and part of the organisation, the analyses made (by
subject, with the required functions present or missing, each count a link to the register
filtered to exactly those rows), the events by risk level and their heat map, the measures, the
units directly below, the year before and five years back. Everything counts only the analyses
the person may see (RiskAnalysis.objects.visible_to), read once (risks/statistics_data.py, the
figures of risks/report_figures.py): a fixed number of queries whatever the number of rows."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import requires
from accounts.scoping import WHOLE_SUBTREE, scope_signature
from core.forms import PartAndYearForm
from organisation.models import OrgNode
from risks.forms import FUNCTIONS_MISSING, FUNCTIONS_PRESENT
from risks.models import VIEW, RiskAnalysis, SubjectKind
from risks.models.matrix import matrix_for
from risks.statistics_data import Snapshot

TREND_YEARS = 5


def _register_link(base, **query):
    return base + "?" + urlencode({k: v for k, v in query.items() if v})


@requires(VIEW)
def statistics(request):
    user = request.user
    this_year = timezone.localdate().year
    nodes = OrgNode.objects.visible_to(user, VIEW).order_by("path")
    form = PartAndYearForm(request.GET or None, nodes=nodes, this_year=this_year)
    node, year = None, this_year
    if form.is_bound and form.is_valid():
        node = form.cleaned_data["node"]
        year = form.cleaned_data["year"] or this_year
    if node is None:
        node = nodes.order_by("depth", "path").first()
        form = PartAndYearForm(
            initial={"node": node, "year": year}, nodes=nodes, this_year=this_year
        )
    context = {"form": form, "node": node, "year": year}
    if node is None:
        return render(request, "risks/statistics.html", context)
    within = RiskAnalysis.objects.visible_to(user, VIEW)
    context.update(_figures(node, year, within, nodes, scope_signature(user, VIEW, node)))
    return render(request, "risks/statistics.html", context)


def _figures(node, year, within, nodes, scope):
    matrix = matrix_for(node)
    high = matrix.levels[-1]["code"]
    years = list(range(year - TREND_YEARS + 1, year + 1))
    detail = [year - 1, year]
    # Someone who sees the whole subtree needs no narrowing to what they may see.
    within = None if scope == WHOLE_SUBTREE else within
    figures = Snapshot(node, detail, within, trend_years=years, scope=scope)
    made_in = figures.analyses_made_in(detail)
    levels_in = figures.events_by_level_in(detail)
    made, before = made_in[year], made_in[year - 1]

    register = reverse("risks:register")

    def link(**query):
        return _register_link(register, node=node.pk, year=year, **query)

    subjects = [
        {
            "label": label,
            "made": made.by_subject[kind],
            "with": made.functions_by_subject[kind][0],
            "without": made.functions_by_subject[kind][1],
            "link": link(subject_kind=kind),
            "link_with": link(subject_kind=kind, functions=FUNCTIONS_PRESENT),
            "link_without": link(subject_kind=kind, functions=FUNCTIONS_MISSING),
        }
        for kind, label in SubjectKind.choices
    ]
    levels, levels_before = levels_in[year], levels_in[year - 1]
    level_rows = [
        {
            "code": level["code"],
            "label": level["label"],
            "colour": level["colour"],
            "before": levels["before"].get(level["code"], 0),
            "after": levels["after"].get(level["code"], 0),
        }
        for level in reversed(matrix.levels)
    ]
    events_total = sum(levels["before"].values())
    rescored = sum(levels["after"].values())
    heat = figures.heat_counts(year)
    measures = figures.measures(year)
    measures_before = figures.measures(year - 1)
    units = figures.by_unit(year, high, nodes)
    # The node's own analyses: those of exactly that unit; a unit below: its subtree. Built
    # from two prefixes: a couple of hundred rows, each urlencoded, cost a few ms.
    of_year = _register_link(register, year=year)
    of_unit, of_subtree = of_year + "&unit=", of_year + "&node="
    for row in units:
        if not row.is_zero:
            row.link = f"{of_unit if row.is_self else of_subtree}{row.node.pk}"
    high_label = matrix.levels[-1]["label"]
    comparison = [
        (_("Risk analyses made"), before.total, made.total),
        (
            _("of them with every required function"),
            before.with_required_functions,
            made.with_required_functions,
        ),
        (
            _("of them missing a required function"),
            before.without_required_functions,
            made.without_required_functions,
        ),
        (_("Events assessed"), sum(levels_before["before"].values()), events_total),
        (
            _("Events at the highest risk level"),
            levels_before["before"].get(high, 0),
            levels["before"].get(high, 0),
        ),
        (
            _("Events at the highest risk level after the measures"),
            levels_before["after"].get(high, 0),
            levels["after"].get(high, 0),
        ),
        (_("Measures decided"), measures_before["made"], measures["made"]),
        (_("Measures done"), measures_before["done"], measures["done"]),
    ]
    return {
        "made": made,
        "subjects": subjects,
        "link_all": link(),
        "link_with": link(functions=FUNCTIONS_PRESENT),
        "link_without": link(functions=FUNCTIONS_MISSING),
        "matrix": matrix,
        "level_rows": level_rows,
        "events_total": events_total,
        "not_rescored": events_total - rescored,
        "heat_before": matrix.grid(heat["before"]),
        "heat_after": matrix.grid(heat["after"]) if heat["after"] else None,
        "measures": measures,
        "unit_rows": [row for row in units if not row.is_zero],
        "zero_units": [row.node.name for row in units if row.is_zero and row.node.is_active],
        "previous_year": year - 1,
        "comparison": [(label, a, b, b - a) for label, a, b in comparison],
        "trend": [
            (
                y,
                figures.made_total(y),
                figures.events_before(y, high),
                _register_link(register, node=node.pk, year=y),
            )
            for y in reversed(years)
        ],
        "high_label": high_label,
    }
