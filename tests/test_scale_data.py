import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Max
from django.urls import reverse

from accounts.models import User
from actions.services import actions_for
from deviations.authority.models import AuthorityNotification, NotificationState
from deviations.investigation import services as investigation_services
from deviations.investigation.models import Investigation
from deviations.models import (
    Clock,
    Deviation,
    DeviationStatus,
    ReferenceSequence,
    Track,
    TrackState,
    TrackTransition,
)
from legal.rules import DeadlineRule, TrackKind
from organisation.models import NodeKind, OrgNode
from organisation.scale_data import BENCH_USERS, ROOT_NAME

COUNT = 300


@pytest.fixture
def generated(db):
    call_command("generate_scale_data", deviations=COUNT, units=10, years=3, seed=7)
    return OrgNode.objects.get(parent=None, name=ROOT_NAME)


def test_reports_lie_in_the_generated_tree_with_unique_references(generated):
    deviations = Deviation.objects.all()
    assert deviations.count() == COUNT
    nodes = OrgNode.objects.filter(path__startswith=generated.path)
    assert nodes.filter(kind=NodeKind.UNIT).count() == 10
    reporting = set(nodes.filter(kind__in=[NodeKind.UNIT, NodeKind.OPERATION]).values_list("pk"))
    assert {(d.unit_id,) for d in deviations} <= reporting
    assert len(reporting) > 5  # spread over the units, not all in one
    references = list(deviations.values_list("reference", "reported_at"))
    assert len({r for r, _ in references}) == COUNT
    assert all(re.fullmatch(r"AV-\d{4}-\d{6}", r) for r, _ in references)
    # Each year's sequence continues after the year's last generated number.
    for sequence in ReferenceSequence.objects.all():
        top = deviations.filter(reference__startswith=f"AV-{sequence.year}-").aggregate(
            top=Max("reference")
        )["top"]
        assert top is not None and int(top[-6:]) == sequence.last
    connection.check_constraints()


def test_track_mix_follows_seed_004_roughly(generated):
    kinds = Counter(Track.objects.values_list("kind", flat=True))
    classified = Deviation.objects.exclude(status=DeviationStatus.REPORTED).count()
    assert 0.02 * classified <= kinds[TrackKind.NOT_DEVIATION] <= 0.12 * classified
    assert kinds[TrackKind.OTHER] > kinds[TrackKind.LEX_SARAH] > kinds[TrackKind.DATA_BREACH]
    deviations = classified - kinds[TrackKind.NOT_DEVIATION]
    assert 0.18 * deviations <= kinds[TrackKind.LEX_SARAH] <= 0.40 * deviations
    assert Deviation.objects.filter(status=DeviationStatus.CLOSED).count() > 0.8 * COUNT


def test_not_deviations_are_closed_with_a_reason(generated):
    rows = Track.objects.filter(kind=TrackKind.NOT_DEVIATION).select_related("deviation")
    assert rows
    for track in rows:
        assert track.state == TrackState.CLOSED and track.reason and track.closed_at
        assert track.deviation.status == DeviationStatus.CLOSED
        assert track.deviation.tracks.count() == 1


def test_states_steps_and_status_agree(generated):
    for deviation in Deviation.objects.prefetch_related("tracks__transitions"):
        tracks = list(deviation.tracks.all())
        if deviation.status == DeviationStatus.REPORTED:
            assert tracks == []
            continue
        assert tracks
        all_closed = all(t.state == TrackState.CLOSED for t in tracks)
        assert (deviation.status == DeviationStatus.CLOSED) == all_closed
        assert (deviation.closed_at is not None) == all_closed
        for track in tracks:
            steps = [t.action for t in track.transitions.all()]
            assert steps[0] == "classify"
            assert track.state == list(track.transitions.all())[-1].to_state
            assert track.created_at >= deviation.reported_at
    assert TrackTransition.objects.filter(action="close").exists()


def test_clocks_follow_the_rule_table(generated):
    rules = {r.pk: r for r in DeadlineRule.objects.all()}
    triage = DeadlineRule.objects.get(code="triage")
    assert Clock.objects.filter(rule=triage, track=None).count() == COUNT
    for clock in Clock.objects.select_related("track"):
        rule = rules[clock.rule_id]
        assert rule.track == (clock.track.kind if clock.track else "")
        assert clock.due_at > clock.started_at
        if rule.only_when_serious:
            assert clock.track.serious is True
    # Most clocks are met, most of those in time.
    met = Clock.objects.filter(met_at__isnull=False)
    assert met.count() > 0.8 * Clock.objects.count()


def test_closed_tracks_have_what_closing_needs(generated):
    closed = Track.objects.filter(state=TrackState.CLOSED).exclude(kind=TrackKind.NOT_DEVIATION)
    assert closed.count() > 100
    assert not closed.filter(investigation__isnull=True).exists()
    for track in closed.select_related("deviation")[:80]:
        assert investigation_services.closing_gaps(track) == [], track
    with_actions = [t for t in closed[:200] if actions_for(t).exists()]
    assert with_actions
    decided = Investigation.objects.filter(decided_at__isnull=False)
    assert not decided.filter(causes__isnull=True).exists()


def test_serious_cases_are_in_the_notification_register(generated):
    serious = Track.objects.filter(serious=True, kind=TrackKind.LEX_SARAH)
    for track in serious:
        assert AuthorityNotification.objects.filter(track=track, recipient="ivo_lex_sarah")
    declined = AuthorityNotification.objects.filter(state=NotificationState.NOT_NOTIFIED)
    for notification in declined.select_related("track"):
        assert notification.track.serious is False
        assert not notification.track.clocks.filter(
            rule__code="data-breach-imy", met_at__isnull=True
        ).exists()


def test_benchmark_people_see_their_part(generated, login):
    manager = User.objects.get(username=BENCH_USERS["unit_manager"])
    unit = manager.assignments.get().node
    visible = Deviation.objects.visible_to(manager)
    assert visible.count() == Deviation.objects.filter(unit__path__startswith=unit.path).count()
    assert 0 < visible.count() < COUNT
    client = login(manager)
    assert client.get(reverse("deviations:list")).status_code == 200
    case = visible.first()
    assert client.get(reverse("deviations:detail", args=[case.pk])).status_code == 200
    quality = User.objects.get(username=BENCH_USERS["quality_developer"])
    assert Deviation.objects.visible_to(quality).count() == COUNT
    staff = User.objects.get(username=BENCH_USERS["staff"])
    assert staff.check_password("hjulet-demo-2026")


def test_runs_once_unless_cleared(generated):
    with pytest.raises(CommandError):
        call_command("generate_scale_data", deviations=20, units=3, years=1)
    call_command("generate_scale_data", deviations=40, units=3, years=1, clear=True)
    assert OrgNode.objects.filter(parent=None, name=ROOT_NAME).count() == 1
    assert Deviation.objects.count() == 40
    assert OrgNode.objects.filter(kind=NodeKind.UNIT).count() == 3
    assert not Track.objects.filter(deviation__isnull=True).exists()
    connection.check_constraints()


def test_refuses_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("generate_scale_data", deviations=10, units=2, years=1)
    assert not Deviation.objects.exists()
