"""Statistics of deviations (issue 3, point 7): the figures and the kept counts behind them.

The dataset is built in tests/analysis_helpers.py.
"""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import timezone

from actions.services import create_action
from analysis import buckets, stats
from analysis.models import ReportCount
from analysis.tasks import refresh_statistics_task
from deviations.authority import services as notification_services
from deviations.authority.models import NotificationState, Recipient
from deviations.investigation import services as investigation_services
from deviations.models import Deviation
from legal.rules import TrackKind
from tests.analysis_helpers import (
    END,
    YEAR,
    build_dataset,
    classify,
    compute_for,
    frac,
    new_report,
    notification,
    reported,
)


def made_once_for_the_module(cast):
    """Ten reports of 2025 in units A and B (tests/analysis_helpers.py), made once per module."""
    return build_dataset(cast)


@pytest.fixture
def dataset(module_data):
    return module_data


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
    before = compute_for(cast, cast.quality).kind("data_breach")  # the module's dataset
    deviation = new_report(cast, cast.unit_a, 4)
    track = classify(cast, deviation, [TrackKind.DATA_BREACH])[TrackKind.DATA_BREACH]
    draft = notification(cast, track, Recipient.IMY, send=False)
    notification_services.record_not_notified(
        draft, actor=cast.quality, reason="Osannolikt att det medför en risk."
    )
    breach = compute_for(cast, cast.quality).kind("data_breach")
    assert (breach.count, breach.notified, breach.not_notified) == (
        before.count + 1,
        before.notified,
        before.not_notified + 1,
    )
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
    investigation_services.move_track(track, "start_investigation", actor=c.parent_manager)
    r8 = Deviation.objects.get(tracks__notifications__state="draft")
    breach = r8.tracks.get()
    investigation_services.decide_serious(breach, False, actor=c.manager_a)
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
