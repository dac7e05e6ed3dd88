"""The statistics' figures on the start page (core.surfaces.start_figure, registered in
analysis/registrations.py).

For those who follow the figures rather than report or handle the cases (the board, the
auditors): the analyses waiting for the board's decision (the list of analyses filtered to
drafts; also for those who write analyses) and a few key figures of this year, computed as the
statistics page computes them for its default period (analysis.views._compute), with the same
small-cell protection, so the number on the start page is the number on the page it links to
and a figure hidden there is not shown here.
"""

from accounts.scoping import holds
from core.surfaces import shared_count

WAITING = "status=draft"


def follows_up(user):
    """Holders of analysis.view who neither report nor handle deviations: the board and the
    auditors, whose work is to follow the figures. Those who handle deviations have their own
    figures and the statistics in the menu; the year's figures are not read for them on every
    start page."""
    return not holds(user, "deviations.view") and not holds(user, "deviations.report")


def decides_or_writes(user):
    """The analyses waiting for a decision: for those who follow up, and those who write them."""
    return follows_up(user) or holds(user, "analysis.manage")


def waiting_for_decision(user):
    """Analyses still drafts, waiting for the board's decision: the rows of the list of
    analyses filtered to drafts."""
    from analysis.models import VIEW, AggregatedAnalysis, AnalysisStatus

    return (
        AggregatedAnalysis.objects.visible_to(user, VIEW)
        .filter(status=AnalysisStatus.DRAFT)
        .order_by()
        .count()
    )


def _this_year(user):
    from analysis import stats
    from analysis.models import VIEW
    from analysis.views import NODE_FIELDS, _compute
    from organisation.models import OrgNode

    nodes = list(OrgNode.objects.visible_to(user, VIEW).order_by("path").only(*NODE_FIELDS))
    start, end = stats.default_period()
    return _compute(user, nodes, {"period_from": start, "period_to": end, "scope": None})


def _figure(value):
    # A figure hidden to protect a small cell is not shown on the start page either.
    return value if isinstance(value, int) else None


def reports_this_year(user):
    """This year's reports in the person's scope: "Reports" on the statistics page."""
    return _figure(shared_count(user, "analysis.year", _this_year).reports)


def deviations_this_year(user):
    """Of them, the deviations (classified, not "not a deviation"): "Deviations" there."""
    return _figure(shared_count(user, "analysis.year", _this_year).deviations)
