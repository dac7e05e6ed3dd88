"""The small known dataset of the statistics and aggregated-analysis tests.

The data is built through deviations.services exactly as real use would give it; the seed
004-style figures of this dataset are asserted exactly by tests/test_analysis_*.py.
"""

import datetime
import re
from fractions import Fraction

from django.urls import reverse
from django.utils import timezone

from actions.services import create_action
from analysis import services as analysis_services
from analysis import stats
from deviations import services
from deviations.authority import services as notification_services
from deviations.authority.models import Recipient
from deviations.investigation import services as investigation_services
from deviations.investigation.models import Cause
from deviations.models import Deviation
from legal.rules import TrackKind

YEAR = 2025
START, END = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
PERIOD = {"period_from": START.isoformat(), "period_to": END.isoformat()}
STATS_URL = reverse("analysis:statistics")


def reported(month, day=15):
    tz = timezone.get_current_timezone()
    return datetime.datetime(YEAR, month, day, 12, 0, tzinfo=tz)


def new_report(cast, unit, month, day=15):
    reporter = cast.same_unit if unit == cast.unit_a else cast.sibling
    when = reported(month, day)
    return services.report(
        actor=reporter,
        unit=unit,
        reported_at=when,
        aware_at=when,
        occurred_at=when - datetime.timedelta(hours=2),
        description="Brukaren fick fel medicin.",
        immediate_action="Kontaktade sjuksköterskan.",
        service_user_affected="yes",
    )


def triager(cast, unit):
    return cast.manager_a if unit == cast.unit_a else cast.parent_manager


def classify(cast, deviation, kinds):
    reason = "Gäller inte verksamheten." if kinds == [TrackKind.NOT_DEVIATION] else ""
    tracks = services.triage(
        deviation, actor=triager(cast, deviation.unit), kinds=kinds, reason=reason
    )
    return {t.kind: t for t in tracks}


def close_other(cast, track, *, causes, with_action):
    """Investigate an 'other' track to the end: cause, decision, action or reason, closed."""
    who = triager(cast, track.deviation.unit)
    investigation_services.move_track(track, "start_investigation", actor=who)
    track.refresh_from_db()
    investigation_services.save_investigation(
        track,
        actor=who,
        causes=[Cause.objects.get(code=code) for code in causes],
        conclusion="Rutinen var inte känd.",
        decision="Gå igenom rutinen på APT.",
        no_action_reason="" if with_action else "Redan åtgärdat.",
    )
    if with_action:
        create_action(
            actor=who,
            unit=track.deviation.unit,
            source=track,
            title="Gå igenom rutinen",
            owner=who,
            due_date=datetime.date(YEAR, 12, 1),
        )
    investigation_services.move_track(track, "decide", actor=who)
    investigation_services.move_track(track, "close", actor=who)


NOTIFICATION_CONTENT = {
    Recipient.IVO_LEX_SARAH: {
        "organisation_name": "Kommunen",
        "unit_name": "Enhet A",
        "contact_name": "Kim Kvalitet",
        "event_kind": "occurred",
        "what_happened": "Brukaren fick fel medicin.",
        "consequences": "Ingen bestående skada.",
        "measures_taken": "Rutinen ses över.",
        "investigation_status": "to_follow",
    },
    Recipient.IMY: {
        "organisation_name": "Kommunen",
        "contact_name": "Kim Kvalitet",
        "what_happened": "En lista med namn glömdes kvar.",
        "people_categories": "Brukare",
        "data_kinds": "Namn och adress",
        "consequences": "Risk för obehörig åtkomst.",
        "measures_taken": "Listan hämtades.",
        "people_informed": "planned",
        "breach_confidentiality": True,
    },
}


def notification(cast, track, recipient, *, send=True):
    """Draft a notification through the services, and record it as sent unless told not to."""
    draft, _created = notification_services.create_notification(
        track, recipient, actor=cast.quality
    )
    when = track.deviation.occurred_at
    content = {**NOTIFICATION_CONTENT[recipient]}
    content["occurred_at"] = when  # "discovered" is the case's time the organisation became aware
    notification_services.save_content(draft, actor=cast.quality, **content)
    if send:
        notification_services.record_sent(
            draft,
            actor=cast.quality,
            sent_at=timezone.now(),
            channel="e_service",
            delay_reason="Upptäcktes sent.",
        )
    return draft


def build_dataset(cast):
    """Ten reports of 2025: seven in unit A, three in unit B.

    R1 A jan  not a deviation          R6 B jun  other, closed with an action (2 causes)
    R2 B jan  not a deviation          R7 B jun  other, open
    R3 A mar  lex Sarah, serious,      R8 A jun  data breach, not judged, IMY notification
              sent to IVO                        only drafted
    R4 A mar  lex Sarah (not serious)  R9 A jun  lex Maria
              + data breach, serious,  R10 A jun awaiting classification
              sent to IMY
    R5 A mar  other, closed with a reason why no action is needed (1 cause)
    """
    a, b = cast.unit_a, cast.unit_b
    classify(cast, new_report(cast, a, 1), [TrackKind.NOT_DEVIATION])
    classify(cast, new_report(cast, b, 1), [TrackKind.NOT_DEVIATION])
    r3 = classify(cast, new_report(cast, a, 3), [TrackKind.LEX_SARAH])
    investigation_services.decide_serious(r3[TrackKind.LEX_SARAH], True, actor=cast.quality)
    notification(cast, r3[TrackKind.LEX_SARAH], Recipient.IVO_LEX_SARAH)
    r4 = classify(cast, new_report(cast, a, 3), [TrackKind.LEX_SARAH, TrackKind.DATA_BREACH])
    investigation_services.decide_serious(r4[TrackKind.LEX_SARAH], False, actor=cast.quality)
    investigation_services.decide_serious(r4[TrackKind.DATA_BREACH], True, actor=cast.manager_a)
    notification(cast, r4[TrackKind.DATA_BREACH], Recipient.IMY)
    r5 = classify(cast, new_report(cast, a, 3), [TrackKind.OTHER])
    close_other(cast, r5[TrackKind.OTHER], causes=["routine-not-known"], with_action=False)
    r6 = classify(cast, new_report(cast, b, 6), [TrackKind.OTHER])
    close_other(
        cast,
        r6[TrackKind.OTHER],
        causes=["routine-not-known", "equipment-technology"],
        with_action=True,
    )
    classify(cast, new_report(cast, b, 6), [TrackKind.OTHER])
    r8 = classify(cast, new_report(cast, a, 6), [TrackKind.DATA_BREACH])
    notification(cast, r8[TrackKind.DATA_BREACH], Recipient.IMY, send=False)
    classify(cast, new_report(cast, a, 6), [TrackKind.LEX_MARIA])
    new_report(cast, a, 6)
    # Outside the period: never counted.
    services.report(
        actor=cast.same_unit,
        unit=a,
        reported_at=datetime.datetime(
            YEAR + 1, 1, 1, 0, 30, tzinfo=timezone.get_current_timezone()
        ),
        occurred_at=timezone.now() - datetime.timedelta(days=400),
        description="Nästa år",
        immediate_action="-",
        service_user_affected="no",
    )
    return cast


def compute_for(cast, user, scope=None, kind="", start=START, end=END, kept=True):
    from organisation.models import OrgNode

    deviations = Deviation.objects.visible_to(user, "analysis.view")
    nodes = list(OrgNode.objects.visible_to(user, "analysis.view"))
    if scope is not None:
        deviations = deviations.filter(unit__path__startswith=scope.path)
        nodes = [n for n in nodes if n.path.startswith(scope.path)]
    return stats.compute(deviations, start=start, end=end, nodes=nodes, kind=kind, kept=kept)


def frac(value):
    return Fraction(value).limit_denominator(1000)


def _chart_values(html, chart_id):
    svg = re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', html, re.S).group(0)
    return [int(v) for v in re.findall(r'<g class="chart-bar"[^>]*data-value="(\d+)"', svg)], [
        int(v) for v in re.findall(r'class="chart-value"[^>]*>(\d+)<', svg)
    ]


def _table_counts(html, table_id):
    table = re.search(rf'<table id="{table_id}".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>.*?</tbody>", table, re.S).group(0)
    return [int(v) for v in re.findall(r'<td class="num count">(\d+)</td>', body)]


def new_analysis(cast, scope=None, **extra):
    fields = {
        "title": "Analys av avvikelser 2025",
        "period_from": START,
        "period_to": END,
        "findings": "De vanligaste orsakerna är okunskap om befintliga rutiner.",
        **extra,
    }
    return analysis_services.create_analysis(
        actor=cast.quality, scope=scope or cast.administration, **fields
    )
