"""Deviations and the aggregated analyses in the yearly quality report (SOSFS 2011:9 5 kap 4–5
and 6–8 §§), seed 004's figures: the reports of the year in the report's part of the
organisation counted by the statistics (analysis/stats.py, the same figures as the statistics
page, whole subtree, no personal data), per kind of track with seriousness and what went to IVO
and IMY, the causes at system level and the units; and the analyses decided in the year with
their measures. The patient safety report reads the reports of the health-care part
(legal/health_care.py): lex Maria, the health-care deviations, and the kinds of event of this year
and the year before as its results. Registered in analysis/registrations.py (core/chapters.py)."""

import datetime
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from actions.models import Action
from actions.models import Status as ActionStatus
from analysis import presentation, stats
from analysis.models import AggregatedAnalysis, AnalysisStatus
from core.chapters import Figure, Part, Table, share
from deviations.models import Deviation, DeviationStatus, Track, TrackState
from legal.health_care import health_care_nodes
from legal.rules import TrackKind
from organisation.models import OrgNode


def _year(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _statistics_link(scope, year, **query):
    start, end = _year(year)
    period = {"period_from": start.isoformat(), "period_to": end.isoformat(), "scope": scope.pk}
    return reverse("analysis:statistics") + "?" + urlencode({**period, **query})


def _closing(deviations, kind=TrackKind.LEX_SARAH):
    """(closed tracks of `kind`, with a cause at system level, with an action or the reason
    none is needed) of these reports: the register's own count."""
    closed = Track.objects.filter(deviation__in=deviations, kind=kind, state=TrackState.CLOSED)
    track_type = ContentType.objects.get_for_model(Track)
    acted = Exists(Action.objects.filter(source_type=track_type, source_id=OuterRef("pk")))
    caused = Exists(Track.objects.filter(pk=OuterRef("pk"), investigation__causes__isnull=False))
    # One pass over the year's tracks for the three (a whole municipality's year: 0.4 s each).
    counts = closed.aggregate(
        closed=Count("pk"),
        with_cause=Count("pk", filter=Q(caused)),
        with_action=Count("pk", filter=Q(investigation__no_action_reason__gt="") | Q(acted)),
    )
    return counts["closed"], counts["with_cause"], counts["with_action"]


def _tables(figures, nodes, every_unit=True):
    """Seed 004's tables: per kind of track, the causes, the units right below (those with no
    report too, unless `every_unit` is false: the health-care part's units only)."""
    return [
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
            rows=[
                [u.name, u.subtree]
                for u in presentation.units_below(figures.units, nodes)
                if u.subtree or every_unit
            ],
        ),
    ]


def deviations(scope, year):
    start, end = _year(year)
    reports = Deviation.objects.filter(unit__path__startswith=scope.path)
    nodes = list(OrgNode.objects.subtree_of(scope))
    figures = stats.compute(reports, start=start, end=end, nodes=nodes)
    in_year = reports.filter(stats.in_range(start, end))
    kinds = {k.kind: k for k in figures.kinds}
    closed, with_cause, with_action = _closing(in_year)
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
    part.tables = _tables(figures, nodes)
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


def _health_care(scope):
    """(the health-care nodes of the scope, whether they are the whole scope)."""
    nodes = list(health_care_nodes(scope))
    return nodes, len(nodes) == OrgNode.objects.subtree_of(scope).count()


def health_care_deviations(scope, year):
    """The patient safety report's chapter (PSL 3 kap 5 § and 6 kap 4 §): the reports from the
    health-care part of the scope, lex Maria first, and the lex Maria cases of the scope from
    units that have not stated the health-care law (a gap in the register to mend)."""
    start, end = _year(year)
    nodes, whole = _health_care(scope)
    reports = Deviation.objects.filter(unit__in=nodes)
    figures = stats.compute(reports, start=start, end=end, nodes=nodes)
    in_year = reports.filter(stats.in_range(start, end))
    kinds = {k.kind: k for k in figures.kinds}
    maria = kinds.get(TrackKind.LEX_MARIA)
    closed, with_cause, with_action = _closing(in_year, TrackKind.LEX_MARIA)
    outside = (
        Track.objects.filter(
            stats.in_range(start, end, prefix="deviation__"),
            kind=TrackKind.LEX_MARIA,
            deviation__unit__path__startswith=scope.path,
        )
        .exclude(deviation__unit__in=nodes)
        .count()
    )
    unclassified = in_year.filter(status=DeviationStatus.REPORTED).count()

    def link(**query):
        return _statistics_link(scope, year, **query) if whole else ""

    part = Part(heading=_("Deviations in health care"))
    if not nodes:
        part.text = [_("No unit in this part of the organisation has stated the health-care law.")]
    part.figures = [
        Figure(_("Reports"), figures.reports, url=link()),
        Figure(_("Deviations"), figures.deviations),
        Figure(_("Lex Maria cases"), maria.count if maria else 0, url=link(kind="lex_maria")),
        Figure(_("Judged serious"), maria.serious_yes if maria else 0),
        Figure(_("Notified to IVO"), maria.notified if maria else 0),
        Figure(_("Lex Maria cases closed"), closed),
        Figure(_("Closed with a cause at system level"), with_cause),
        Figure(_("Closed with an action or a reason not to act"), with_action),
        Figure(
            _("Lex Maria cases from units that have not stated the health-care law"),
            outside,
            note=_("in this part of the organisation"),
        ),
        Figure(_("Still waiting to be classified"), unclassified),
    ]
    part.tables = _tables(figures, nodes, every_unit=whole)
    part.facts = {
        "reports": figures.reports,
        "deviations": figures.deviations,
        "lex_maria": maria.count if maria else 0,
        "lex_maria_closed_with_cause_share": share(with_cause, closed),
        "lex_maria_closed_with_action_share": share(with_action, closed),
        "lex_maria_outside_health_care": outside,
        "unclassified": unclassified,
    }
    return part


def health_care_results(scope, year):
    """The patient safety report's results (PSL 3 kap 10 §): the health-care reports per kind
    of event (falls, medication, pressure ulcers…), this year and the year before."""
    nodes, _whole = _health_care(scope)
    reports = Deviation.objects.filter(unit__in=nodes)
    periods = [(*_year(year), True), (*_year(year - 1), True)]
    now, before = stats.compute_periods(reports, periods, nodes=nodes)
    earlier = {str(c.name): c.count for c in before.categories}
    maria_now = {k.kind: k.count for k in now.kinds}.get(TrackKind.LEX_MARIA, 0)
    maria_before = {k.kind: k.count for k in before.kinds}.get(TrackKind.LEX_MARIA, 0)
    part = Part(heading=_("Results in health care"))
    part.figures = [
        Figure(_("Reports"), now.reports, note=_("%(n)s the year before") % {"n": before.reports}),
        Figure(
            _("Lex Maria cases"), maria_now, note=_("%(n)s the year before") % {"n": maria_before}
        ),
    ]
    part.tables = [
        Table(
            caption=_("Reports per kind of event, and the year before"),
            columns=[_("Kind of event"), str(year), str(year - 1)],
            rows=[
                [str(c.name), c.count, earlier.get(str(c.name), 0)]
                for c in now.categories
                if c.count or earlier.get(str(c.name))
            ],
        )
    ]
    part.facts = {
        "health_care_reports": now.reports,
        "health_care_reports_before": before.reports,
        "lex_maria": maria_now,
        "lex_maria_before": maria_before,
    }
    return part


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
