"""The statistics' figures on the start page (core.surfaces.start_figure, registered in
analysis/registrations.py).

For those who follow the figures rather than report or handle the cases (the board, the
auditors): the analyses waiting for the board's decision (the list of analyses filtered to
drafts; also for those who write analyses) and two key figures of this year, read from the
same kept counts as the statistics page for its default period, so the number on the start
page is the number on the page it links to; one cheap sum, not the whole page's figures.
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
    """This year's reports, those awaiting classification and those judged not a deviation in
    the person's scope: one sum over the kept yearly counts (analysis/buckets.py), brought up
    to date first as the statistics page does.

    The statistics page's default period is this calendar year, every month of it whole, so
    its totals are these sums. Reports and deviations are never hidden there to protect a
    small cell without a track chosen (analysis/suppression.py hides only figures of the
    restricted tracks, and sums made of them), so the numbers are the page's.
    """
    from django.db.models import Sum

    from analysis import buckets, stats
    from analysis.models import VIEW, ReportCount, Span
    from organisation.models import OrgNode

    buckets.refresh_for_reading()
    start, _end = stats.default_period()
    ids = list(OrgNode.objects.visible_to(user, VIEW).values_list("pk", flat=True))
    sums = ReportCount.objects.filter(stats.of_units(ids), span=Span.YEAR, month=start).aggregate(
        reports=Sum("reports"), unclassified=Sum("unclassified"), not_deviation=Sum("not_deviation")
    )
    return {name: value or 0 for name, value in sums.items()}


def reports_this_year(user):
    """This year's reports in the person's scope: "Reports" on the statistics page."""
    return shared_count(user, "analysis.year", _this_year)["reports"]


def deviations_this_year(user):
    """Of them, the deviations (classified, not "not a deviation"): "Deviations" there."""
    year = shared_count(user, "analysis.year", _this_year)
    return year["reports"] - year["unclassified"] - year["not_deviation"]
