"""Deviations and the aggregated analyses in the yearly quality report (SOSFS 2011:9 5 kap 4–5
and 6–8 §§), seed 004's figures: the reports of the year in the report's part of the
organisation counted by the statistics (analysis/stats.py, the same figures as the statistics
page, whole subtree, no personal data), per kind of track with seriousness and what went to IVO
and IMY, the causes at system level and the units; and the analyses decided in the year with
their measures. Registered in analysis/registrations.py (core/chapters.py)."""

import datetime
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from actions.models import Action
from actions.models import Status as ActionStatus
from analysis import presentation, stats
from analysis.models import AggregatedAnalysis, AnalysisStatus
from core.chapters import Figure, Part, Table, share
from deviations.models import Deviation, DeviationStatus, Track, TrackState
from legal.rules import TrackKind
from organisation.models import OrgNode


def _year(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _statistics_link(scope, year, **query):
    start, end = _year(year)
    period = {"period_from": start.isoformat(), "period_to": end.isoformat(), "scope": scope.pk}
    return reverse("analysis:statistics") + "?" + urlencode({**period, **query})


def _lex_sarah_closing(deviations):
    """(closed lex Sarah tracks, with a cause at system level, with an action or the reason
    none is needed) of these reports: the register's own count."""
    closed = Track.objects.filter(
        deviation__in=deviations, kind=TrackKind.LEX_SARAH, state=TrackState.CLOSED
    )
    track_type = ContentType.objects.get_for_model(Track)
    acted = Exists(Action.objects.filter(source_type=track_type, source_id=OuterRef("pk")))
    return (
        closed.count(),
        closed.filter(investigation__causes__isnull=False).distinct().count(),
        closed.filter(Q(investigation__no_action_reason__gt="") | acted).count(),
    )


def deviations(scope, year):
    start, end = _year(year)
    reports = Deviation.objects.filter(unit__path__startswith=scope.path)
    nodes = list(OrgNode.objects.subtree_of(scope))
    figures = stats.compute(reports, start=start, end=end, nodes=nodes)
    in_year = reports.filter(stats.in_range(start, end))
    kinds = {k.kind: k for k in figures.kinds}
    closed, with_cause, with_action = _lex_sarah_closing(in_year)
    unclassified = in_year.filter(status=DeviationStatus.REPORTED).count()
    part = Part(heading=_("Deviations"))
    part.figures = [
        Figure(_("Reports"), figures.reports, url=_statistics_link(scope, year)),
        Figure(_("Not deviations"), figures.not_deviation),
        Figure(_("Deviations"), figures.deviations),
        *(
            Figure(
                TrackKind(kind).label,
                kinds[kind].count if kind in kinds else 0,
                url=_statistics_link(scope, year, kind=kind),
                note=_("%(share)s of the deviations")
                % {"share": _percent(share(kinds[kind].count, figures.deviations))}
                if kind in kinds
                else "",
            )
            for kind in stats.DEVIATION_KINDS
        ),
        Figure(_("Still waiting to be classified"), unclassified),
    ]
    part.tables = [
        Table(
            caption=_("Per kind of track: how many, how serious, and what went to IVO and IMY"),
            columns=[_("Kind"), _("Cases"), _("Serious"), _("Closed"), _("Notified")],
            rows=[
                [k.label, k.count, k.serious_yes, k.closed, k.notified]
                for k in figures.kinds
                if k.kind in stats.DEVIATION_KINDS
            ],
        ),
        Table(
            caption=_("Causes at system level of the closed investigations"),
            columns=[_("Cause"), _("Investigations")],
            rows=[[str(c.name), c.count] for c in figures.causes if c.count],
        ),
        Table(
            caption=_("Reports per unit, including the units below"),
            columns=[_("Unit"), _("Reports")],
            rows=[[u.name, u.subtree] for u in presentation.units_below(figures.units, nodes)],
        ),
    ]
    sarah = kinds.get(TrackKind.LEX_SARAH)
    part.facts = {
        "reports": figures.reports,
        "deviations": figures.deviations,
        "lex_sarah": sarah.count if sarah else 0,
        "lex_sarah_notified_share": share(sarah.notified, sarah.count) if sarah else None,
        "lex_sarah_closed_with_cause_share": share(with_cause, closed),
        "lex_sarah_closed_with_action_share": share(with_action, closed),
        "unclassified": unclassified,
    }
    return part


def _percent(value):
    return "–" if value is None else f"{round(value * 100)} %"


def analyses(scope, year):
    start, end = _year(year)
    decided = AggregatedAnalysis.objects.filter(
        scope__path__startswith=scope.path,
        status=AnalysisStatus.DECIDED,
        decision_date__range=(start, end),
    ).order_by("decision_date", "pk")
    decided = list(decided)
    analysis_type = ContentType.objects.get_for_model(AggregatedAnalysis)
    measures = Action.objects.filter(
        source_type=analysis_type, source_id__in=[a.pk for a in decided]
    )
    done = measures.filter(status__in=(ActionStatus.DONE, ActionStatus.EFFECT_CHECKED)).count()
    part = Part(heading=_("Aggregated analyses"))
    part.figures = [
        Figure(_("Analyses decided"), len(decided), url=reverse("analysis:analyses")),
        Figure(_("Measures decided"), measures.count()),
        Figure(_("Measures carried out"), done),
    ]
    part.tables = [
        Table(
            caption=_("The analyses decided in the year"),
            columns=[_("Analysis"), _("Decided"), _("Complaints and opinions counted")],
            rows=[
                [
                    a.title,
                    f"{a.decision_body} {a.decision_date:%Y-%m-%d} § {a.paragraph}",
                    (a.figures or {}).get("feedback", {}).get("total", "–"),
                ]
                for a in decided
            ],
        )
    ]
    part.facts = {
        "analyses_decided": len(decided),
        # Whether every analysis counted the feedback with the deviations; none decided: unread.
        "feedback_with_deviations": (
            int(all("feedback" in (a.figures or {}) for a in decided)) if decided else None
        ),
    }
    return part
