from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from deviations import services
from deviations.investigation import services as investigation_services
from deviations.models import Deviation, Track
from legal.rules import TrackKind


def fields():
    """A report's fields, the event an hour before the test asks for them."""
    return {
        "occurred_at": timezone.now() - timedelta(hours=1),
        "description": "Larmet på rum 4 fungerade inte.",
        "immediate_action": "Extra tillsyn under natten.",
        "service_user_affected": "no",
        "affected_person": "Brukare på rum 4",
    }


def reported(cast, unit=None, who=None):
    return services.report(actor=who or cast.same_unit, unit=unit or cast.unit_a, **fields())


def test_register_is_scoped_filtered_and_bounded(cast, login, django_assert_max_num_queries):
    for _ in range(12):
        reported(cast)
    reported(cast, unit=cast.unit_b, who=cast.sibling)
    client = login(cast.parent_manager)
    # 15: the filter's kinds of event are one query of their own (deviations/categories.py).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("deviations:list"))
    assert response.context["page"].paginator.count == 13
    response = client.get(reverse("deviations:list"), {"unit": cast.unit_b.pk})
    assert response.context["page"].paginator.count == 1
    assert (
        login(cast.manager_a).get(reverse("deviations:list")).context["page"].paginator.count == 12
    )
    assert login(cast.same_unit).get(reverse("deviations:list")).status_code == 403


def test_register_filters_by_track_and_rejects_backwards_dates(cast, login):
    first, second = reported(cast), reported(cast)
    services.triage(first, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH])
    client = login(cast.manager_a)
    response = client.get(reverse("deviations:list"), {"track": "data_breach"})
    assert [d.pk for d in response.context["page"].object_list] == [first.pk]
    response = client.get(
        reverse("deviations:list"), {"reported_from": "2026-05-02", "reported_to": "2026-05-01"}
    )
    assert response.context["form"].errors["reported_to"]
    assert second.pk


def test_case_page_logs_the_read_and_shows_the_identity_to_handlers(cast, login):
    deviation = reported(cast)
    response = login(cast.manager_a).get(reverse("deviations:detail", args=[deviation.pk]))
    assert response.status_code == 200 and response.context["show_identity"]
    assert b"Brukare p\xc3\xa5 rum 4" in response.content
    assert AccessLog.objects.filter(user=cast.manager_a, object_id=str(deviation.pk)).exists()


def test_triage_through_the_form(cast, login):
    deviation = reported(cast)
    client = login(cast.manager_a)
    response = client.post(
        reverse("deviations:triage", args=[deviation.pk]),
        {"kinds": ["lex_sarah", "data_breach"], "work_environment": "on"},
    )
    assert response.status_code == 302
    assert set(deviation.tracks.values_list("kind", flat=True)) == {"lex_sarah", "data_breach"}
    deviation.refresh_from_db()
    assert deviation.work_environment


def test_triage_errors_keep_the_input(cast, login):
    deviation = reported(cast)
    client = login(cast.manager_a)
    response = client.post(
        reverse("deviations:triage", args=[deviation.pk]),
        {"kinds": ["not_deviation"], "reason": ""},
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not deviation.tracks.exists()
    response = client.post(
        reverse("deviations:triage", args=[deviation.pk]),
        {"kinds": ["not_deviation", "other"], "reason": "Önskemål"},
    )
    assert "Önskemål" in response.content.decode()
    assert not deviation.tracks.exists()


def test_lex_sarah_details_hidden_from_non_investigators(cast, login):
    deviation = reported(cast)
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH])
    page = login(cast.manager_a).get(reverse("deviations:detail", args=[deviation.pk]))
    (track,) = page.context["tracks"]
    assert track.readable is False and track.steps == [] and track.clock_rows
    page = login(cast.quality).get(reverse("deviations:detail", args=[deviation.pk]))
    (track,) = page.context["tracks"]
    assert track.readable and track.steps == ["start_investigation"]


def test_restricted_judgement_stays_with_readers(cast, login):
    """The Serious badge and the "judged serious" event of a lex Sarah track are details: the
    unit manager (no reader of lex Sarah, but holding audit.view_history) sees neither, not
    on the case page, nor in the full history of the deviation or of the track."""
    deviation = reported(cast)
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH, TrackKind.OTHER])
    sarah = Track.objects.get(deviation=deviation, kind=TrackKind.LEX_SARAH)
    other = Track.objects.get(deviation=deviation, kind=TrackKind.OTHER)
    investigation_services.decide_serious(sarah, True, actor=cast.quality)
    investigation_services.decide_serious(other, False, actor=cast.manager_a)
    ct = ContentType.objects.get_for_model(Deviation)
    full = reverse("audit:history", args=[ct.pk, deviation.pk])
    track_ct = ContentType.objects.get_for_model(Track)
    track_history = reverse("audit:history", args=[track_ct.pk, sarah.pk])

    manager = login(cast.manager_a)
    page = manager.get(reverse("deviations:detail", args=[deviation.pk])).content.decode()
    assert ">Allvarligt<" not in page and ">Inte allvarligt<" in page
    assert "bedömt som allvarligt" not in page and "bedömt som inte allvarligt" in page
    history = manager.get(full).content.decode()
    assert "bedömt som allvarligt" not in history and "bedömt som inte allvarligt" in history
    assert manager.get(track_history).status_code == 404

    quality = login(cast.quality)
    page = quality.get(reverse("deviations:detail", args=[deviation.pk])).content.decode()
    assert ">Allvarligt<" in page and "bedömt som allvarligt" in page
    assert "bedömt som allvarligt" in quality.get(full).content.decode()
    assert quality.get(track_history).status_code == 200


def test_investigation_steps_and_serious_judgement(cast, login):
    deviation = reported(cast)
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH])
    track = Track.objects.get(deviation=deviation)
    client = login(cast.quality)
    client.post(
        reverse("deviations:track_move", args=[track.pk]), {"action": "start_investigation"}
    )
    client.post(reverse("deviations:track_serious", args=[track.pk]), {"serious": "yes"})
    track.refresh_from_db()
    assert track.state == "investigating" and track.serious is True
    assert track.clocks.filter(rule__code="lex-sarah-ivo").exists()
    # The unit manager is no reader of lex Sarah: refused.
    response = login(cast.manager_a).post(
        reverse("deviations:track_serious", args=[track.pk]), {"serious": "no"}
    )
    assert response.status_code == 403
    track.refresh_from_db()
    assert track.serious is True


def test_reporter_cannot_open_the_case_page(cast, login):
    deviation = reported(cast)
    assert (
        login(cast.same_unit).get(reverse("deviations:detail", args=[deviation.pk])).status_code
        == 403
    )
    assert Deviation.objects.count() == 1
