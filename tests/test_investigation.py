import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from deviations import services
from deviations.investigation import services as investigation_services
from deviations.investigation.models import Cause
from deviations.models import Deviation, Track
from legal.rules import TrackKind


def fields():
    """A report's fields, the event three hours before the test asks for them."""
    return {
        "occurred_at": timezone.now() - timedelta(hours=3),
        "description": "Dörren till medicinskåpet stod olåst.",
        "immediate_action": "Låste skåpet.",
        "service_user_affected": "yes",
    }


def open_track(cast, kind=TrackKind.LEX_SARAH):
    deviation = services.report(actor=cast.same_unit, unit=cast.unit_a, **fields())
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[kind])
    investigator = cast.quality if kind == TrackKind.LEX_SARAH else cast.manager_a
    investigation_services.move_track(track, "start_investigation", actor=investigator)
    track.refresh_from_db()
    return track, investigator


def test_cause_catalogue_is_seeded(db):
    assert Cause.objects.count() >= 9
    assert Cause.objects.filter(code="routine-not-known").exists()


def test_decision_needs_conclusion_and_decision(cast):
    track, who = open_track(cast)
    with pytest.raises(ValidationError):
        investigation_services.move_track(track, "decide", actor=who)
    investigation_services.save_investigation(
        track, actor=who, conclusion="Rutinen var okänd.", decision="Utbilda personalen."
    )
    investigation_services.move_track(track, "decide", actor=who)
    track.refresh_from_db()
    assert track.state == "decided" and track.investigation.decided_by == who


def test_closing_needs_cause_action_and_the_person_heard(cast):
    track, who = open_track(cast)
    investigation_services.save_investigation(track, actor=who, conclusion="K", decision="B")
    investigation_services.move_track(track, "decide", actor=who)
    with pytest.raises(ValidationError) as error:
        investigation_services.move_track(track, "close", actor=who)
    assert len(investigation_services.closing_gaps(track)) == 3, error.value.messages
    investigation_services.save_investigation(
        track,
        actor=who,
        causes=[Cause.objects.get(code="routine-not-known")],
        person_informed_on=date(2026, 11, 2),
        person_heard_on=date(2026, 11, 3),
        person_view="Brukaren var orolig.",
    )
    assert len(investigation_services.closing_gaps(track)) == 1  # the action
    investigation_services.save_investigation(
        track, actor=who, no_action_reason="Redan åtgärdat: nytt lås."
    )
    investigation_services.move_track(track, "close", actor=who)
    deviation = Deviation.objects.get(pk=track.deviation_id)
    assert deviation.status == "closed"


def test_an_action_from_the_track_satisfies_the_closing_rule(cast, login):
    track, who = open_track(cast, kind=TrackKind.OTHER)
    investigation_services.save_investigation(
        track,
        actor=who,
        conclusion="K",
        decision="B",
        causes=[Cause.objects.get(code="equipment-technology")],
    )
    client = login(who)
    token = uuid.uuid4()
    data = {
        "title": "Byt lås på medicinskåpet",
        "owner": cast.manager_a.pk,
        "due_date": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "form_token": str(token),
    }
    client.post(reverse("deviations:track_action", args=[track.pk]), data)
    client.post(reverse("deviations:track_action", args=[track.pk]), data)  # double submit
    assert Action.objects.filter(source_id=track.pk).count() == 1
    investigation_services.move_track(track, "decide", actor=who)
    investigation_services.move_track(Track.objects.get(pk=track.pk), "close", actor=who)
    assert Track.objects.get(pk=track.pk).state == "closed"


def test_person_heard_before_informed_is_refused(cast):
    track, who = open_track(cast)
    with pytest.raises(ValidationError):
        investigation_services.save_investigation(
            track,
            actor=who,
            person_informed_on=date(2026, 11, 5),
            person_heard_on=date(2026, 11, 4),
        )


def test_investigation_page_for_readers_only(cast, login):
    track, who = open_track(cast)
    url = reverse("deviations:investigation", args=[track.pk])
    assert login(cast.manager_a).get(url).status_code == 403  # no lex Sarah reader
    assert login(cast.sibling).get(url).status_code in (403, 404)
    response = login(who).post(
        url,
        {
            "conclusion": "Rutinen saknades",
            "causes": [Cause.objects.get(code="routine-missing").pk],
            "person_informed_on": "2026-11-05",
            "person_heard_on": "2026-11-01",
        },
    )
    assert response.status_code == 200  # heard before informed: form error, input kept
    assert "Rutinen saknades" in response.content.decode()
    response = login(who).post(url, {"conclusion": "Rutinen saknades"})
    assert response.status_code == 302
    assert Track.objects.get(pk=track.pk).investigation.conclusion == "Rutinen saknades"


def test_timeline(cast, login):
    track, who = open_track(cast)
    login(who).post(
        reverse("deviations:timeline", args=[track.pk]),
        {"at": "2026-11-20T21:30", "text": "Kvällspersonalen upptäckte dörren."},
    )
    assert track.investigation.timeline.get().text.startswith("Kvällspersonalen")


def test_a_serious_case_closes_only_once_ivo_is_notified(cast):
    from deviations.authority import services as ns
    from deviations.authority.models import AuthorityNotification

    track, who = open_track(cast)
    investigation_services.save_investigation(
        track,
        actor=who,
        conclusion="K",
        decision="B",
        no_action_reason="Åtgärdat",
        causes=[Cause.objects.get(code="routine-missing")],
        not_informed_reason="Anonym",
    )
    assert investigation_services.closing_gaps(track) == []
    investigation_services.decide_serious(track, True, actor=who)
    assert len(investigation_services.closing_gaps(track)) == 1  # the IVO notification
    notification, _created = ns.create_notification(track, "ivo_lex_sarah", actor=who)
    assert len(investigation_services.closing_gaps(track)) == 1  # a draft is not a notification
    # The sending itself is tested with the notifications; here only its outcome counts.
    AuthorityNotification.objects.filter(pk=notification.pk).update(state="sent")
    assert investigation_services.closing_gaps(Track.objects.get(pk=track.pk)) == []
