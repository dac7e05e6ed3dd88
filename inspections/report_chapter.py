"""Self-inspection in the yearly quality report (SOSFS 2011:9 5 kap 2 §, egenkontroll): the
occasions planned for the year in the report's part of the organisation and how many were
carried out, the compliance of the year's executions per checklist and their findings, counted
by inspections/report_figures.py, and the same per unit directly below. The internal control
fills the rest of the chapter (internal_control/report_chapter.py). The patient safety report
reads the same figures of the health-care part only (legal/health_care.py). Registered in
inspections/registrations.py (core/chapters.py)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.chapters import Figure, Part, Table
from inspections import report_figures
from inspections.compliance import Counts
from inspections.views.results import YEARS
from legal.health_care import health_care_nodes


def _percent(value):
    return "–" if value is None else f"{round(value * 100)} %"


def _results_link(scope, year):
    # The results page shows the node's compliance per year for its last YEARS years only.
    if year <= timezone.localdate().year - YEARS:
        return ""
    return reverse("inspections:results") + "?" + urlencode({"node": scope.pk})


def _overdue_link(scope, year, health_care):
    """The occasions list with exactly the occasions counted as past their date."""
    query = {"state": "overdue", "year": year, "node": scope.pk}
    if health_care:
        query["health_care"] = "on"
    return reverse("inspections:due") + "?" + urlencode(query)


def _unit_rows(scope, year, occasions, counts, units=None):
    """[unit, planned, done, overdue, compliance] per unit directly below the scope (each with
    its subtree), and the scope's own plans as what the units below leave of the whole."""
    rows, own, own_counts = [], dict(occasions), counts
    for child in scope.children.order_by("name", "pk"):
        child_occasions = report_figures.planned_vs_done(child, year, units=units)
        child_counts = report_figures.compliance(child, year, units)
        for key in ("planned", "done", "overdue"):
            own[key] -= child_occasions[key]
        own_counts = Counts(
            own_counts.yes - child_counts.yes,
            own_counts.partly - child_counts.partly,
            own_counts.no - child_counts.no,
            own_counts.na - child_counts.na,
        )
        if (
            child_occasions["planned"]
            or child_counts.answered
            or (child.is_active and units is None)
        ):
            rows.append(_unit_row(child.name, child_occasions, child_counts))
    if own["planned"] or own_counts.answered:
        rows.insert(0, _unit_row(_("%(unit)s itself") % {"unit": scope.name}, own, own_counts))
    return rows


def _unit_row(name, occasions, counts):
    return [
        name,
        occasions["planned"],
        occasions["done"],
        occasions["overdue"],
        _percent(counts.compliance),
    ]


def self_inspections(scope, year):
    return _self_inspections(scope, year)


def health_care_self_inspections(scope, year):
    """The patient safety report's chapter: the self-inspections of the health-care part."""
    return _self_inspections(scope, year, units=health_care_nodes(scope))


def _self_inspections(scope, year, units=None):
    occasions = report_figures.planned_vs_done(scope, year, units=units)
    counts = report_figures.compliance(scope, year, units)
    checklists = report_figures.compliance_by_checklist(scope, year, units)
    found = report_figures.findings(scope, year, units)
    part = Part(
        heading=_("Self-inspections") if units is None else _("Self-inspections in health care")
    )
    part.figures = [
        Figure(_("Self-inspections planned for the year"), occasions["planned"]),
        Figure(
            _("Carried out"),
            occasions["done"],
            note=_("some of them after the year"),
        ),
        Figure(_("Share carried out"), occasions["done_share"], share=True),
        Figure(
            _("Not carried out, past their date"),
            occasions["overdue"],
            url=_overdue_link(scope, year, units is not None),
        ),
        Figure(_("Not carried out, date still ahead"), occasions["ahead"]),
        Figure(
            _("Self-inspections completed in the year"),
            sum(n for _title, n, _counts in checklists),
            note=_("including those not planned for this year"),
        ),
        Figure(
            _("Compliance"),
            counts.compliance,
            share=True,
            url=_results_link(scope, year) if units is None else "",
            note=_("%(yes)s answers “yes” of %(answered)s, “not applicable” left out")
            % {"yes": counts.yes, "answered": counts.answered},
        ),
        Figure(_("Partly complied with"), counts.partly_share, share=True),
        Figure(_("Findings"), found["findings"]),
        Figure(_("Findings with an action"), found["with_action"]),
        Figure(_("Findings closed with a reason"), found["closed"]),
        Figure(_("Findings still open"), found["open"]),
        Figure(
            _("Actions of the findings carried out"),
            found["actions_done"] + found["actions_effect_checked"],
        ),
        Figure(_("Actions of the findings not yet carried out"), found["actions_open"]),
    ]
    part.tables = [
        Table(
            caption=_("Compliance per checklist"),
            columns=[_("Checklist"), _("Completed"), _("Compliance"), _("Partly")],
            rows=[
                [title, n, _percent(c.compliance), _percent(c.partly_share)]
                for title, n, c in checklists
            ],
        ),
        Table(
            caption=_("Per unit, including the units below"),
            columns=[_("Unit"), _("Planned"), _("Carried out"), _("Overdue"), _("Compliance")],
            rows=_unit_rows(scope, year, occasions, counts, units),
        ),
    ]
    part.facts = {
        "inspections_planned": occasions["planned"],
        "inspections_done": occasions["done"],
        "inspections_done_share": occasions["done_share"],
        "inspections_overdue": occasions["overdue"],
        "inspections_compliance": counts.compliance,
        "inspection_findings": found["findings"],
        "inspection_findings_open": found["open"],
    }
    return part
