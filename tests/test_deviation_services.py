import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from audit.models import Event
from deviations import services
from deviations.investigation import services as investigation_services
from deviations.models import Clock, Deviation, DeviationStatus, Track, TrackState
from legal.rules import TrackKind
from tests.cast import _assign, _user


def fields():
    """A report's fields, the event two hours before the test asks for them."""
    return {
        "occurred_at": timezone.now() - timedelta(hours=2),
        "description": "Brukaren fick fel läkemedel vid kvällsrundan.",
        "immediate_action": "Sjuksköterska kontaktades.",
        "service_user_affected": "yes",
    }


def file_report(cast, **extra):
    return services.report(actor=cast.same_unit, unit=cast.unit_a, **{**fields(), **extra})


# Held: both reports of one year, even when the run crosses New Year between them.
@pytest.mark.usefixtures("now")
def test_report_gets_a_reference_the_triage_clock_and_an_event(cast):
    deviation = file_report(cast)
    year = timezone.localtime(deviation.reported_at).year
    assert deviation.reference == f"AV-{year}-000001"
    assert file_report(cast).reference == f"AV-{year}-000002"
    assert [c.rule.code for c in deviation.clocks.all()] == ["triage"]
    assert Event.objects.filter(verb="deviations.reported", object_id=str(deviation.pk)).exists()


def test_double_submit_gives_one_report(cast):
    # The same content twice, the time of the event included: read once.
    sent = {**fields(), "submission_key": uuid.uuid4()}
    first = file_report(cast, **sent)
    again = file_report(cast, **sent)
    assert first.pk == again.pk and Deviation.objects.count() == 1


def test_only_staff_of_the_unit_report_for_it(cast):
    with pytest.raises(PermissionDenied):
        services.report(actor=cast.sibling, unit=cast.unit_a, **fields())


def test_one_report_several_tracks_each_with_its_clocks(cast):
    deviation = file_report(cast)
    tracks = services.triage(
        deviation, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH, TrackKind.DATA_BREACH]
    )
    assert {t.kind for t in tracks} == {"lex_sarah", "data_breach"}
    clocks = {c.rule.code: c for c in Clock.objects.filter(deviation=deviation)}
    assert clocks["triage"].met_at is not None
    assert "lex-sarah-investigation-start" in clocks
    imy = clocks["data-breach-imy"]
    assert imy.due_at - imy.started_at == timedelta(hours=72)
    assert imy.started_at == deviation.aware_at
    assert "lex-sarah-ivo" not in clocks  # only once judged serious
    deviation.refresh_from_db()
    assert deviation.status == DeviationStatus.TRIAGED


def test_not_a_deviation_needs_a_reason_and_stands_alone(cast):
    deviation = file_report(cast)
    with pytest.raises(ValidationError):
        services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.NOT_DEVIATION])
    with pytest.raises(ValidationError):
        services.triage(
            deviation,
            actor=cast.manager_a,
            kinds=[TrackKind.NOT_DEVIATION, TrackKind.OTHER],
            reason="x",
        )
    services.triage(
        deviation,
        actor=cast.manager_a,
        kinds=[TrackKind.NOT_DEVIATION],
        reason="Beskriver ett önskemål, ingen avvikelse.",
    )
    deviation.refresh_from_db()
    assert deviation.status == DeviationStatus.CLOSED


def test_staff_cannot_triage(cast):
    with pytest.raises(PermissionDenied):
        services.triage(file_report(cast), actor=cast.same_unit, kinds=[TrackKind.OTHER])


def test_transition_table_is_enforced_and_recorded(cast):
    deviation = file_report(cast)
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    with pytest.raises(ValidationError):
        investigation_services.move_track(track, "close", actor=cast.manager_a)
    investigation_services.move_track(track, "start_investigation", actor=cast.manager_a)
    track.refresh_from_db()
    assert track.state == TrackState.INVESTIGATING and track.investigation_started_at
    actions = list(track.transitions.values_list("action", "from_state", "to_state"))
    assert actions == [("classify", "", "open"), ("start_investigation", "open", "investigating")]


def test_lex_sarah_is_restricted_to_its_readers(cast):
    deviation = file_report(cast)
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH])
    # The unit manager classified it, but is no reader of lex Sarah investigations.
    assert not Track.objects.readable_by(cast.manager_a).filter(pk=track.pk).exists()
    with pytest.raises(PermissionDenied):
        investigation_services.move_track(track, "start_investigation", actor=cast.manager_a)
    # The quality developer over the administration is a reader by the rule table.
    assert Track.objects.readable_by(cast.quality).filter(pk=track.pk).exists()
    investigation_services.move_track(track, "start_investigation", actor=cast.quality)
    # An assigned investigator reads it too.
    track.investigators.add(cast.manager_a)
    assert Track.objects.readable_by(cast.manager_a).filter(pk=track.pk).exists()


def test_reader_roles_are_data(cast):
    from legal.rules import TrackRule

    rule = TrackRule.objects.get(kind=TrackKind.LEX_SARAH)
    rule.reader_roles.add(Role.objects.get(code="unit_manager"))
    deviation = file_report(cast)
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH])
    assert Track.objects.readable_by(cast.manager_a).filter(pk=track.pk).exists()


def test_serious_case_starts_the_ivo_clock_from_investigation_start(cast):
    deviation = file_report(cast)
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH])
    investigation_services.move_track(track, "start_investigation", actor=cast.quality)
    track.refresh_from_db()
    investigation_services.decide_serious(track, True, actor=cast.quality)
    clock = Clock.objects.get(track=track, rule__code="lex-sarah-ivo")
    assert clock.started_at == track.investigation_started_at
    started = Clock.objects.get(track=track, rule__code="lex-sarah-investigation-start")
    assert started.met_at is not None
    investigation_services.decide_serious(track, False, actor=cast.quality)
    assert not Clock.objects.filter(track=track, rule__code="lex-sarah-ivo").exists()


def test_sibling_unit_sees_no_reports(cast):
    file_report(cast)
    assert not Deviation.objects.visible_to(cast.sibling).exists()
    assert Deviation.objects.visible_to(cast.parent_manager).count() == 1
    assert not Deviation.objects.visible_to(cast.same_unit).exists()  # staff: own reports only
    assert Deviation.objects.reported_by(cast.same_unit).count() == 1


def test_provider_staff_report_in_their_own_unit(cast):
    reporter = _user("provstaff")
    _assign(reporter, "staff_member", cast.provider_node)
    deviation = services.report(actor=reporter, unit=cast.provider_node, **fields())
    assert Deviation.objects.visible_to(cast.provider_staff).get() == deviation
    assert not Deviation.objects.visible_to(cast.manager_a).exists()
    assert RoleAssignment.objects.filter(user=reporter).count() == 1


def test_protected_identity_is_masked_in_the_change_log(cast):
    from auditlog.models import LogEntry

    deviation = file_report(cast, affected_person="Greta Garbo")
    entry = LogEntry.objects.get_for_object(deviation).first()
    assert "Greta Garbo" not in str(entry.changes)
