"""Statistics of deviations and the aggregated analysis (issue 3, point 7).

The data is built through deviations.services exactly as real use would give it; the seed
004-style figures of a small known dataset are then asserted exactly.
"""

import csv
import datetime
import io
import re
import uuid
from decimal import Decimal
from fractions import Fraction

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.services import create_action
from analysis import buckets, stats
from analysis import services as analysis_services
from analysis.models import AggregatedAnalysis, AnalysisStatus, ReportCount
from analysis.tasks import refresh_statistics_task
from audit.models import Event
from deviations import notification_services, services
from deviations.models import Cause, Deviation
from deviations.notifications import NotificationState, Recipient
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
    services.move_track(track, "start_investigation", actor=who)
    track.refresh_from_db()
    services.save_investigation(
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
    services.move_track(track, "decide", actor=who)
    services.move_track(track, "close", actor=who)


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
    content["discovered_at" if recipient == Recipient.IMY else "occurred_at"] = when
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


@pytest.fixture
def dataset(cast):
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
    services.decide_serious(r3[TrackKind.LEX_SARAH], True, actor=cast.quality)
    notification(cast, r3[TrackKind.LEX_SARAH], Recipient.IVO_LEX_SARAH)
    r4 = classify(cast, new_report(cast, a, 3), [TrackKind.LEX_SARAH, TrackKind.DATA_BREACH])
    services.decide_serious(r4[TrackKind.LEX_SARAH], False, actor=cast.quality)
    services.decide_serious(r4[TrackKind.DATA_BREACH], True, actor=cast.manager_a)
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


# -- the figures -----------------------------------------------------------------------------


def test_seed_004_figures_come_out_of_the_data(dataset):
    result = compute_for(dataset, dataset.quality)
    assert result.reports == 10
    assert result.unclassified == 1
    assert result.classified == 9
    assert result.not_deviation == 2
    assert frac(result.not_deviation_share) == Fraction(2, 9)
    assert result.deviations == 7
    counts = {k.kind: k.count for k in result.kinds}
    assert counts == {"lex_sarah": 2, "data_breach": 2, "lex_maria": 1, "other": 3}
    shares = {k.kind: frac(k.share) for k in result.kinds}
    assert shares == {
        "lex_sarah": Fraction(2, 7),
        "data_breach": Fraction(2, 7),
        "lex_maria": Fraction(1, 7),
        "other": Fraction(3, 7),
    }
    # One report took two tracks: eight tracks on seven deviations.
    assert result.tracks == 8
    assert stats.percent(result.kind("lex_sarah").share) == 29
    assert stats.percent(result.not_deviation_share) == 22


def test_share_notified_to_the_authority(dataset):
    result = compute_for(dataset, dataset.quality)
    sarah, breach, maria = (result.kind(k) for k in ("lex_sarah", "data_breach", "lex_maria"))
    assert (sarah.serious_yes, sarah.serious_no, sarah.not_judged) == (1, 1, 0)
    assert (breach.serious_yes, breach.serious_no, breach.not_judged) == (1, 0, 1)
    assert (maria.count, maria.not_judged) == (1, 1)
    # Sent notifications count; the drafted IMY notification of R8 does not.
    assert (sarah.notified, breach.notified, maria.notified) == (1, 1, 0)
    assert frac(sarah.notified_share) == Fraction(1, 2)
    assert frac(breach.notified_share) == Fraction(1, 2)
    assert sarah.authority == "IVO" and breach.authority == "IMY"
    assert result.kind("other").notified == 0
    assert [k.kind for k in result.notifiable] == ["lex_sarah", "data_breach", "lex_maria"]


def test_a_breach_documented_as_not_notified(cast):
    deviation = new_report(cast, cast.unit_a, 4)
    track = classify(cast, deviation, [TrackKind.DATA_BREACH])[TrackKind.DATA_BREACH]
    draft = notification(cast, track, Recipient.IMY, send=False)
    notification_services.record_not_notified(
        draft, actor=cast.quality, reason="Osannolikt att det medför en risk."
    )
    breach = compute_for(cast, cast.quality).kind("data_breach")
    assert (breach.count, breach.notified, breach.not_notified) == (1, 0, 1)
    draft.refresh_from_db()
    assert draft.state == NotificationState.NOT_NOTIFIED


def test_outcome_by_state_and_how_tracks_were_closed(dataset):
    other = compute_for(dataset, dataset.quality).kind("other")
    assert (other.open, other.investigating, other.decided, other.closed) == (1, 0, 0, 2)
    assert other.closed_with_action == 1
    assert other.closed_no_action_reason == 1


def test_causes_are_counted_per_investigation(dataset):
    result = compute_for(dataset, dataset.quality)
    by_code = {c.cause.code: c for c in result.causes}
    assert by_code["routine-not-known"].count == 2
    assert by_code["equipment-technology"].count == 1
    assert by_code["communication"].count == 0
    assert result.causes_base == 2
    assert frac(by_code["equipment-technology"].share) == Fraction(1, 2)
    assert result.causes[0].cause.code == "routine-not-known"


def test_months_with_zero_are_shown(dataset):
    result = compute_for(dataset, dataset.quality)
    assert [m.month for m in result.months] == [datetime.date(YEAR, m, 1) for m in range(1, 13)]
    by_month = {m.month.month: m.reports for m in result.months}
    assert by_month == {1: 2, 2: 0, 3: 3, 4: 0, 5: 0, 6: 5, 7: 0, 8: 0, 9: 0, 10: 0, 11: 0, 12: 0}
    june = result.months[5]
    assert june.kinds == {"other": 2, "data_breach": 1, "lex_maria": 1}
    assert result.months[0].not_deviation == 2


def test_units_roll_up_the_tree(dataset):
    c = dataset
    units = {u.node.pk: u for u in compute_for(c, c.quality).units}
    assert (units[c.unit_a.pk].own, units[c.unit_a.pk].subtree) == (7, 7)
    assert (units[c.unit_b.pk].own, units[c.unit_b.pk].subtree) == (3, 3)
    dept = units[c.dept.pk]
    assert dept.own == 0
    assert dept.subtree == units[c.unit_a.pk].subtree + units[c.unit_b.pk].subtree == 10
    assert units[c.administration.pk].subtree == 10
    assert units[c.provider_node.pk].subtree == 0
    # The quality developer's scope starts at the administration: it is level 0.
    assert units[c.administration.pk].level == 0 and units[c.unit_a.pk].level == 2


def test_roll_up_of_a_deeper_tree():
    from types import SimpleNamespace

    def node(pk, path, depth):
        ids = [int(s) for s in path.strip("/").split("/")]
        return SimpleNamespace(
            pk=pk, path=path, depth=depth, name=str(pk), ancestor_ids=lambda: ids
        )

    nodes = [
        node(1, "00000001/", 0),
        node(2, "00000001/00000002/", 1),
        node(3, "00000001/00000002/00000003/", 2),
        node(4, "00000001/00000004/", 1),
    ]
    rows = {u.node.pk: u for u in stats.roll_up(nodes, {1: 1, 3: 5, 4: 2})}
    assert [(rows[i].own, rows[i].subtree) for i in (1, 2, 3, 4)] == [
        (1, 8),
        (0, 5),
        (5, 5),
        (2, 2),
    ]


def test_a_unit_manager_sees_only_their_units_figures(dataset):
    c = dataset
    result = compute_for(c, c.manager_a)
    assert result.reports == 7
    assert result.not_deviation == 1
    assert {u.node.pk for u in result.units} == {c.unit_a.pk}
    # The sibling unit's staff member sees unit B's three reports, none of unit A's.
    sibling = compute_for(c, c.sibling)
    assert sibling.reports == 3
    assert {u.node.pk for u in sibling.units} == {c.unit_b.pk}


def test_the_scope_and_track_filters(dataset):
    c = dataset
    assert compute_for(c, c.quality, scope=c.unit_b).reports == 3
    sarah = compute_for(c, c.quality, kind="lex_sarah")
    assert sarah.reports == 2
    assert sarah.kind("lex_sarah").count == 2 and sarah.kind("data_breach").count == 0
    assert sarah.deviations == 2


def test_restricted_tracks_are_counted_for_those_who_may_not_read_them(dataset):
    # manager_a reads no lex Sarah investigation, yet the unit's lex Sarah cases count.
    assert compute_for(dataset, dataset.manager_a).kind("lex_sarah").count == 2


def test_percent_rounds_half_up():
    assert stats.percent(0.285) == 29
    assert stats.percent(0.125, 1) == Decimal("12.5")
    assert stats.percent(2 / 9) == 22 and stats.percent(0.5) == 50
    assert stats.percent(None) is None
    assert stats.share(1, 0) is None


def test_months_between_crosses_the_year():
    months = stats.months_between(datetime.date(2024, 11, 20), datetime.date(2025, 2, 1))
    assert months == [
        datetime.date(2024, 11, 1),
        datetime.date(2024, 12, 1),
        datetime.date(2025, 1, 1),
        datetime.date(2025, 2, 1),
    ]


# -- the kept counts follow the register -----------------------------------------------------


def assert_kept_counts_match_the_register(cast, **filters):
    for user in (cast.quality, cast.manager_a):
        kept = compute_for(cast, user, **filters).as_snapshot()
        register = compute_for(cast, user, kept=False, **filters).as_snapshot()
        assert kept == register


def test_the_kept_counts_follow_every_change(dataset, monkeypatch):
    c = dataset
    assert_kept_counts_match_the_register(c)

    def no_full_recount(state=None):
        raise AssertionError("only the changed units and months are counted again")

    monkeypatch.setattr(buckets, "rebuild", no_full_recount)
    r7 = Deviation.objects.get(unit=c.unit_b, tracks__kind="other", tracks__state="open")
    track = r7.tracks.get()
    services.move_track(track, "start_investigation", actor=c.parent_manager)
    r8 = Deviation.objects.get(tracks__notifications__state="draft")
    breach = r8.tracks.get()
    services.decide_serious(breach, False, actor=c.manager_a)
    draft = breach.notifications.get()
    notification_services.record_sent(
        draft, actor=c.quality, sent_at=timezone.now(), channel="e_service", delay_reason="Sent."
    )
    r10 = Deviation.objects.get(status="reported", reported_at__year=YEAR)
    classify(c, r10, [TrackKind.OTHER])
    new_report(c, c.unit_b, 2)
    r6 = Deviation.objects.get(tracks__state="closed", tracks__kind="other", unit=c.unit_b)
    create_action(
        actor=c.parent_manager,
        unit=c.unit_b,
        source=r6.tracks.get(),
        title="Uppföljning",
        owner=c.parent_manager,
        due_date=datetime.date(YEAR, 12, 1),
    )
    result = compute_for(c, c.quality)
    assert result.reports == 11 and result.unclassified == 1  # R10 classified, one new
    assert result.kind("data_breach").notified == 2
    assert result.kind("other").investigating == 1
    assert_kept_counts_match_the_register(c)
    assert_kept_counts_match_the_register(c, kind="other")


def test_on_a_replica_the_page_reads_the_kept_counts_without_writing(dataset, settings):
    """HJULET_STATISTICS_REFRESH_ON_READ=0: the periodic task brings the counts up to date, the
    page only reads them (once built)."""
    c = dataset
    settings.HJULET_STATISTICS_REFRESH_ON_READ = False
    before = compute_for(c, c.quality).reports  # never built: built now
    new_report(c, c.unit_b, 2)
    assert compute_for(c, c.quality).reports == before  # not yet counted: nothing written
    refresh_statistics_task.call()
    assert compute_for(c, c.quality).reports == before + 1


def test_a_period_of_part_months_is_counted_exactly(dataset):
    c = dataset
    for start, end in (
        (datetime.date(YEAR, 3, 10), datetime.date(YEAR, 6, 20)),
        (datetime.date(YEAR, 3, 15), datetime.date(YEAR, 3, 15)),
        (datetime.date(YEAR, 1, 1), datetime.date(YEAR, 6, 14)),
        (datetime.date(YEAR - 1, 7, 1), datetime.date(YEAR + 1, 2, 28)),  # a year and months
        (datetime.date(YEAR - 1, 7, 10), datetime.date(YEAR + 1, 1, 20)),
    ):
        assert_kept_counts_match_the_register(c, start=start, end=end)
    assert compute_for(c, c.quality, start=datetime.date(YEAR, 3, 15), end=END).reports == 8
    across = compute_for(
        c, c.quality, start=datetime.date(YEAR - 1, 7, 1), end=END.replace(YEAR + 1)
    )
    assert across.reports == 11 and len(across.months) == 30


def test_a_deletion_or_a_bulk_import_is_counted(dataset):
    c = dataset
    assert compute_for(c, c.quality).reports == 10
    Deviation.objects.get(status="reported", reported_at__year=YEAR).delete()
    assert compute_for(c, c.quality).reports == 9
    when = reported(8)
    Deviation.objects.bulk_create(
        [
            Deviation(
                reference=f"IMPORT-{i}",
                unit=c.unit_b,
                reported_at=when,
                occurred_at=when,
                description="Import",
                immediate_action="-",
                service_user_affected="no",
            )
            for i in range(3)
        ]
    )
    assert compute_for(c, c.quality).reports == 12
    assert_kept_counts_match_the_register(c)
    ReportCount.objects.all().delete()
    assert compute_for(c, c.quality).reports == 0  # the kept counts are what is read...
    buckets.rebuild()
    assert compute_for(c, c.quality).reports == 12  # ...and rebuild_statistics restores them


def test_split_years():
    d = datetime.date
    assert stats.split_years(d(2024, 7, 1), d(2026, 2, 1)) == (
        [2025],
        [(d(2024, 7, 1), d(2024, 12, 1)), (d(2026, 1, 1), d(2026, 2, 1))],
    )
    assert stats.split_years(d(2025, 1, 1), d(2025, 12, 1)) == ([2025], [])
    assert stats.split_years(d(2025, 2, 1), d(2025, 12, 1)) == (
        [],
        [(d(2025, 2, 1), d(2025, 12, 1))],
    )


def test_split_period():
    d = datetime.date
    assert stats.split_period(d(2025, 1, 1), d(2025, 12, 31)) == (
        (d(2025, 1, 1), d(2025, 12, 1)),
        [],
    )
    assert stats.split_period(d(2025, 1, 15), d(2025, 3, 10)) == (
        (d(2025, 2, 1), d(2025, 2, 1)),
        [(d(2025, 1, 15), d(2025, 1, 31)), (d(2025, 3, 1), d(2025, 3, 10))],
    )
    assert stats.split_period(d(2025, 2, 2), d(2025, 2, 27)) == (
        None,
        [(d(2025, 2, 2), d(2025, 2, 27))],
    )
    assert stats.split_period(d(2024, 12, 1), d(2025, 2, 28)) == (
        (d(2024, 12, 1), d(2025, 2, 1)),
        [],
    )


# -- the statistics page ---------------------------------------------------------------------


def _chart_values(html, chart_id):
    svg = re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', html, re.S).group(0)
    return [int(v) for v in re.findall(r'<g class="chart-bar"[^>]*data-value="(\d+)"', svg)], [
        int(v) for v in re.findall(r'class="chart-value"[^>]*>(\d+)<', svg)
    ]


def _table_counts(html, table_id):
    table = re.search(rf'<table id="{table_id}".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>.*?</tbody>", table, re.S).group(0)
    return [int(v) for v in re.findall(r'<td class="num count">(\d+)</td>', body)]


def test_the_page_shows_the_figures_as_svg_and_as_table(dataset, login):
    response = login(dataset.quality).get(STATS_URL, PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    for chart_id, table_id, expected in (
        # The one lex Maria case is "fewer than 5": nobody in the cast reads lex Maria.
        ("chart-kinds", "table-kinds", [2, 2, 3]),
        ("chart-months", "table-months", [2, 0, 3, 0, 0, 5, 0, 0, 0, 0, 0, 0]),
    ):
        bars, texts = _chart_values(html, chart_id)
        assert bars == texts == _table_counts(html, table_id) == expected
    assert re.search(r'<svg[^>]*id="chart-kinds"[^>]*role="img"', html)
    assert 'id="chart-kinds-title"' in html
    assert "<script" not in html.split("<main", 1)[1]
    assert " style=" not in html
    # The unit chart shows the level below the top, the table every unit with both counts.
    bars, _texts = _chart_values(html, "chart-units")
    assert bars == [10]  # the department, below the administration
    assert re.search(r"Enhet A</th><td class=\"num\">7</td><td class=\"num subtree\">7</td>", html)
    # Nothing about single reports.
    assert "Brukaren fick fel medicin" not in html
    assert "AV-2025" not in html


def test_the_page_for_a_unit_manager_and_the_default_year(dataset, login):
    c = dataset
    response = login(c.manager_a).get(STATS_URL, PERIOD)
    html = response.content.decode()
    assert "Enhet B" not in html
    # Lex Sarah and lex Maria are hidden from her: she reads neither (analysis/suppression.py).
    assert _chart_values(html, "chart-kinds")[0] == [2, 1]
    # Without a filter: the current calendar year, which holds none of the 2025 reports.
    response = login(c.manager_a).get(STATS_URL)
    assert response.status_code == 200
    assert response.context["stats"].start == datetime.date(timezone.localdate().year, 1, 1)
    assert len(response.context["stats"].months) == 12


def test_the_page_answers_in_a_fixed_number_of_queries(cast, login):
    client = login(cast.quality)

    def make(n):
        for i in range(n):
            unit = cast.unit_a if i % 2 else cast.unit_b
            deviation = new_report(cast, unit, 1 + i % 12)
            if i % 5:
                kinds = [[TrackKind.OTHER], [TrackKind.LEX_SARAH, TrackKind.DATA_BREACH]][i % 2]
                classify(cast, deviation, kinds)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(STATS_URL, PERIOD).status_code == 200
        return len(queries)

    make(5)
    building = count()  # the first request counts everything
    few = count()
    make(45)
    assert Deviation.objects.count() == 50
    refreshing = count()  # recounts the changed units and months
    many = count()
    assert few == many
    assert many <= 22, many  # two of them read the reader roles for the small cells
    # A fixed number, whatever the data: on PostgreSQL the build also runs ANALYZE.
    assert building <= 44 and refreshing <= 44, (building, refreshing)


def test_invalid_filter_keeps_the_input(dataset, login):
    response = login(dataset.quality).get(
        STATS_URL, {"period_from": "2025-06-01", "period_to": "2025-01-01"}
    )
    assert response.status_code == 200
    assert response.context["stats"] is None
    assert response.context["form"].errors["period_to"]
    assert 'value="2025-06-01"' in response.content.decode()


def test_scope_filter_offers_only_visible_units(dataset, login):
    c = dataset
    response = login(c.manager_a).get(STATS_URL, {**PERIOD, "scope": c.unit_b.pk})
    assert response.context["stats"] is None
    assert "scope" in response.context["form"].errors
    response = login(c.quality).get(STATS_URL, {**PERIOD, "scope": c.unit_b.pk})
    assert response.context["stats"].reports == 3


def test_csv_export_of_the_figures(dataset, login):
    response = login(dataset.quality).get(reverse("analysis:statistics_csv"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    counts = [row[2] for row in rows[1:]]
    assert rows[2][2] == "10" and rows[3][2] == "1" and rows[5][2:4] == ["2", "9"]
    assert "7" in counts
    units = {row[1]: row[2] for row in rows if row[1] in ("Enhet A", "Enhet B", "Avdelningen")}
    assert units == {"Enhet A": "7", "Enhet B": "3", "Avdelningen": "10"}
    assert "Brukaren fick fel medicin" not in text


def test_csv_for_a_unit_manager_counts_only_their_unit(dataset, login):
    text = login(dataset.manager_a).get(reverse("analysis:statistics_csv"), PERIOD)
    rows = list(csv.reader(io.StringIO(text.content.decode().lstrip("\ufeff")), delimiter=";"))
    assert rows[2][2] == "7"
    assert not any(row[1] == "Enhet B" for row in rows)


def test_statistics_access(cast, client, login):
    assert client.get(STATS_URL).status_code == 302
    assert login(cast.outsider).get(STATS_URL).status_code == 403
    assert login(cast.outsider).get(reverse("analysis:statistics_csv")).status_code == 403


# -- the aggregated analysis -----------------------------------------------------------------


def _analysis(cast, scope=None, **extra):
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


def test_analysis_keeps_a_snapshot_of_the_figures(dataset):
    analysis = _analysis(dataset)
    assert analysis.status == AnalysisStatus.DRAFT
    assert analysis.figures["reports"] == 10
    assert analysis.figures["deviations"] == 7
    kinds = {k["kind"]: k["count"] for k in analysis.figures["kinds"]}
    assert kinds["lex_sarah"] == 2
    kept = stats.Statistics.from_snapshot(analysis.figures)
    assert kept.reports == 10 and frac(kept.kind("other").share) == Fraction(3, 7)
    assert [u["name"] for u in analysis.figures["units"]][:2] == ["Förvaltningen", "Avdelningen"]
    assert Event.objects.filter(verb="analysis.created", object_id=str(analysis.pk)).exists()


def test_lifecycle_with_the_board_decision_and_a_measure(dataset, login):
    c = dataset
    client = login(c.quality)
    response = client.post(
        reverse("analysis:analysis_new"),
        {
            "title": "Förvaltningsövergripande analys jan–aug",
            "scope": c.administration.pk,
            "period_from": "2025-01-01",
            "period_to": "2025-08-31",
            "findings": "Avsaknad av rutiner, brister i rutiner och okunskap om rutiner.",
        },
    )
    analysis = AggregatedAnalysis.objects.get()
    assert response.status_code == 302 and response["Location"] == analysis.get_absolute_url()
    assert analysis.created_by == c.quality and analysis.figures["reports"] == 10

    # A report made later changes the live statistics; the draft takes it when saved again.
    new_report(c, c.unit_a, 7)
    response = client.post(
        reverse("analysis:analysis_edit", args=[analysis.pk]),
        {
            "title": analysis.title,
            "scope": c.administration.pk,
            "period_from": "2025-01-01",
            "period_to": "2025-08-31",
            "findings": analysis.findings + " Vakanser.",
        },
    )
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.figures["reports"] == 11 and analysis.findings.endswith("Vakanser.")

    # A measure only once decided.
    assert client.get(analysis.get_absolute_url()).context["measure_form"] is None
    response = client.post(
        reverse("analysis:analysis_decide", args=[analysis.pk]),
        {
            "decision_body": "Socialnämnden",
            "decision_date": "2025-09-25",
            "paragraph": "§ 17",
            "registry_number": "SN 2023-511",
        },
    )
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.DECIDED
    assert (analysis.decision_body, analysis.paragraph, analysis.registry_number) == (
        "Socialnämnden",
        "17",
        "SN 2023-511",
    )
    assert analysis.decision_date == datetime.date(2025, 9, 25)
    assert analysis.decision_recorded_by == c.quality

    # Decided: the text and the figures stay as they were.
    new_report(c, c.unit_a, 7)
    assert client.get(reverse("analysis:analysis_edit", args=[analysis.pk])).status_code == 302
    with pytest.raises(ValidationError):
        analysis_services.update_analysis(analysis, actor=c.quality, title="Ny")
    with pytest.raises(ValidationError):
        analysis_services.decide_analysis(
            analysis,
            actor=c.quality,
            decision_body="Socialnämnden",
            decision_date=datetime.date(2025, 9, 25),
            paragraph="18",
            registry_number="SN 1",
        )
    analysis.refresh_from_db()
    assert analysis.figures["reports"] == 11

    token = uuid.uuid4()
    measure = {
        "title": "Fastställ organisation för det systematiska kvalitetsarbetet",
        "unit": c.administration.pk,
        "owner": c.quality.pk,
        "due_date": "2026-06-30",
        "form_token": str(token),
    }
    response = client.post(reverse("analysis:analysis_measure", args=[analysis.pk]), measure)
    assert response.status_code == 302
    # The same form twice gives one action.
    client.post(reverse("analysis:analysis_measure", args=[analysis.pk]), measure)
    action = Action.objects.for_source(analysis).get()
    assert action.source == analysis
    assert action.source_type == ContentType.objects.get_for_model(AggregatedAnalysis)
    assert action.unit == c.administration and action.form_token == token

    page = client.get(analysis.get_absolute_url())
    html = page.content.decode()
    assert 'id="measure-list"' in html and action.title in html
    assert "SN 2023-511" in html
    assert page.context["stats"].reports == 11
    assert Event.objects.filter(verb="analysis.decided", object_id=str(analysis.pk)).exists()
    assert Event.objects.filter(verb="analysis.measure_added").count() == 1
    listing = client.get(reverse("analysis:analyses")).context["analyses"]
    assert [a.measure_count for a in listing] == [1]


def test_decision_needs_body_date_paragraph_and_registry_number(dataset, login):
    analysis = _analysis(dataset)
    client = login(dataset.quality)
    response = client.post(
        reverse("analysis:analysis_decide", args=[analysis.pk]),
        {
            "decision_body": "Socialnämnden",
            "decision_date": "",
            "paragraph": " § ",
            "registry_number": "",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"decision_date", "registry_number"}
    assert 'value="Socialnämnden"' in response.content.decode()
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.DRAFT
    with pytest.raises(ValidationError) as error:
        analysis_services.decide_analysis(
            analysis,
            actor=dataset.quality,
            decision_body="Socialnämnden",
            decision_date=timezone.localdate() + datetime.timedelta(days=3),
            paragraph="§",
            registry_number="SN 1",
        )
    assert set(error.value.message_dict) == {"decision_date", "paragraph"}


def test_invalid_analysis_form_keeps_the_input(dataset, login):
    client = login(dataset.quality)
    response = client.post(
        reverse("analysis:analysis_new"),
        {
            "title": "Halvårsanalys",
            "scope": dataset.administration.pk,
            "period_from": "2025-07-01",
            "period_to": "2025-01-01",
            "findings": "",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"period_to", "findings"}
    assert 'value="Halvårsanalys"' in response.content.decode()
    assert not AggregatedAnalysis.objects.exists()


def test_invalid_measure_form_keeps_the_input(dataset, login):
    c = dataset
    analysis = _analysis(c)
    analysis_services.decide_analysis(
        analysis,
        actor=c.quality,
        decision_body="Socialnämnden",
        decision_date=datetime.date(2025, 9, 25),
        paragraph="17",
        registry_number="SN 2023-511",
    )
    response = login(c.quality).post(
        reverse("analysis:analysis_measure", args=[analysis.pk]),
        {"title": "Revidera rutinerna", "unit": c.unit_a.pk, "owner": "", "due_date": "x"},
    )
    assert response.status_code == 200
    assert set(response.context["measure_form"].errors) >= {"owner", "due_date", "form_token"}
    assert 'value="Revidera rutinerna"' in response.content.decode()
    assert not Action.objects.for_source(analysis).exists()


def test_writing_an_analysis_needs_manage_on_the_scope(dataset, login):
    c = dataset
    # A unit manager may read statistics but not write analyses.
    with pytest.raises(PermissionDenied):
        analysis_services.create_analysis(
            actor=c.manager_a,
            scope=c.unit_a,
            title="T",
            period_from=START,
            period_to=END,
            findings="F",
        )
    assert login(c.manager_a).get(reverse("analysis:analysis_new")).status_code == 403
    # The quality developer cannot choose a node outside their scope.
    response = login(c.quality).post(
        reverse("analysis:analysis_new"),
        {
            "title": "T",
            "scope": c.other_root_node.pk,
            "period_from": "2025-01-01",
            "period_to": "2025-12-31",
            "findings": "F",
        },
    )
    assert "scope" in response.context["form"].errors


def test_analysis_visibility_by_scope(dataset, login):
    c = dataset
    admin_wide = _analysis(c)
    unit_a = _analysis(c, scope=c.unit_a, title="Enhet A:s analys")
    seen = {a.pk for a in login(c.manager_a).get(reverse("analysis:analyses")).context["analyses"]}
    assert seen == {unit_a.pk}
    assert login(c.manager_a).get(unit_a.get_absolute_url()).status_code == 200
    assert login(c.manager_a).get(admin_wide.get_absolute_url()).status_code == 404
    # A reader who may not manage gets no edit, decision or measure controls.
    page = login(c.manager_a).get(unit_a.get_absolute_url())
    assert not page.context["may_edit"] and page.context["measure_form"] is None
    assert (
        login(c.manager_a).get(reverse("analysis:analysis_edit", args=[unit_a.pk])).status_code
        == 403
    )


@pytest.mark.parametrize("who", ["sibling", "other_root"])
def test_analysis_pages_are_404_outside_the_scope(dataset, login, who):
    analysis = _analysis(dataset, scope=dataset.unit_a)
    client = login(getattr(dataset, who))
    assert client.get(analysis.get_absolute_url()).status_code == 404
    assert client.get(reverse("analysis:analyses")).status_code in (200, 403)
    if client.get(reverse("analysis:analyses")).status_code == 200:
        assert not client.get(reverse("analysis:analyses")).context["analyses"]


def test_outsider_is_refused_the_analyses(dataset, login):
    analysis = _analysis(dataset)
    client = login(dataset.outsider)
    for url in (
        reverse("analysis:analyses"),
        reverse("analysis:analysis_new"),
        analysis.get_absolute_url(),
        reverse("analysis:analysis_edit", args=[analysis.pk]),
        reverse("analysis:analysis_decide", args=[analysis.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_analysis_detail_shows_the_kept_figures_and_history(dataset, login):
    analysis = _analysis(dataset)
    html = login(dataset.quality).get(analysis.get_absolute_url()).content.decode()
    bars, texts = _chart_values(html, "chart-kinds")
    # The lex Maria case is hidden: nobody in the cast reads lex Maria.
    assert bars == texts == _table_counts(html, "table-kinds") == [2, 2, 3]
    assert 'id="analysis-findings"' in html
    assert "history" in html
