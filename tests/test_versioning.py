"""Optimistic version check: a stale page gets the conflict page with both versions and loses
nothing; a fresh page saves. One test pair per edit form."""

from django.urls import reverse

from deviations import services as deviation_services
from deviations.investigation import services as investigation_services
from routines.services.draft import update_draft
from tests.test_investigation import open_track
from tests.test_routines_w_helpers import first, make, reload
from tests.versioning_helpers import assert_conflict, token_of


def loaded(client, url):
    return token_of(client.get(url))


def investigation_post(track, token, conclusion):
    return {"record_version": token, "conclusion": conclusion, "decision": "Utbilda"}


def test_investigation_stale_page_gets_the_conflict_and_keeps_both(cast, login):
    track, who = open_track(cast)
    url = reverse("deviations:investigation", args=[track.pk])
    client = login(who)
    token = loaded(client, url)
    investigation_services.save_investigation(track, actor=who, conclusion="Kollegans slutsats")
    response = client.post(url, investigation_post(track, token, "Min egen slutsats"))
    new_token = token_of(response)
    assert_conflict(response, "Kollegans slutsats", "Min egen slutsats")
    assert new_token != token
    assert investigation_services.investigation_of(track).conclusion == "Kollegans slutsats"
    again = client.post(url, investigation_post(track, new_token, "Min egen slutsats"))
    assert again.status_code == 302
    assert investigation_services.investigation_of(track).conclusion == "Min egen slutsats"


def test_investigation_fresh_page_saves(cast, login):
    track, who = open_track(cast)
    url = reverse("deviations:investigation", args=[track.pk])
    client = login(who)
    response = client.post(url, investigation_post(track, loaded(client, url), "Slutsats"))
    assert response.status_code == 302
    assert investigation_services.investigation_of(track).conclusion == "Slutsats"


def test_a_forged_fingerprint_is_a_conflict(cast, login):
    track, who = open_track(cast)
    url = reverse("deviations:investigation", args=[track.pk])
    response = login(who).post(url, investigation_post(track, "abc:def", "Slutsats"))
    assert response.status_code == 409
    assert investigation_services.investigation_of(track).conclusion == ""


def draft_post(cast, token, title):
    return {
        "record_version": token,
        "title": title,
        "owner": cast.manager_a.pk,
        "review_interval_months": 12,
        "requires_acknowledgment": "on",
        "body": "<p>Text</p>",
        "change_summary": "",
    }


def test_routine_draft_stale_page_gets_the_conflict(cast, login):
    routine = make(cast)
    version = first(routine)
    url = reverse("routines:edit", args=[version.pk])
    client = login(cast.manager_a)
    token = loaded(client, url)
    update_draft(version, actor=cast.manager_a, title="Kollegans titel")
    response = client.post(url, draft_post(cast, token, "Min titel"))
    new_token = token_of(response)
    assert_conflict(response, "Kollegans titel", "Min titel")
    routine.refresh_from_db()
    assert routine.title == "Kollegans titel"
    assert client.post(url, draft_post(cast, new_token, "Min titel")).status_code == 302
    routine.refresh_from_db()
    assert routine.title == "Min titel" and reload(version).body == "<p>Text</p>"


def test_routine_draft_fresh_page_saves(cast, login):
    version = first(make(cast))
    url = reverse("routines:edit", args=[version.pk])
    client = login(cast.manager_a)
    assert client.post(url, draft_post(cast, loaded(client, url), "Ny titel")).status_code == 302
    assert reload(version).routine.title == "Ny titel"


def test_triage_of_a_report_classified_meanwhile_names_who_did_it(cast, login):
    from deviations.models import Deviation, Track
    from legal.rules import TrackKind
    from tests.test_investigation import fields

    deviation = deviation_services.report(actor=cast.same_unit, unit=cast.unit_a, **fields())
    client = login(cast.parent_manager)
    url = reverse("deviations:triage", args=[deviation.pk])
    assert client.get(url).status_code == 200
    deviation_services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    response = client.post(url, {"kinds": [TrackKind.LEX_SARAH]})
    assert response.status_code == 200
    assert "Maja Chef" in response.content.decode()  # who classified it, just before
    assert list(Track.objects.filter(deviation=deviation).values_list("kind", flat=True)) == [
        TrackKind.OTHER
    ]
    assert Deviation.objects.get(pk=deviation.pk).status == "triaged"


def test_the_fingerprint_follows_values_not_how_the_form_was_given_them(cast):
    from django import forms

    from core import versioning
    from organisation.models import OrgNode

    class Form(forms.Form):
        unit = forms.ModelChoiceField(queryset=OrgNode.objects.all())
        units = forms.ModelMultipleChoiceField(queryset=OrgNode.objects.all())
        text = forms.CharField()

    a, b = cast.unit_a, cast.unit_b
    as_objects = Form(initial={"unit": a, "units": [a, b], "text": "Rad 1\r\nRad 2 "})
    as_keys = Form(initial={"unit": a.pk, "units": OrgNode.objects.filter(pk__in=[b.pk, a.pk])})
    as_keys.initial["text"] = "Rad 1\nRad 2"
    assert versioning.fingerprint(as_objects) == versioning.fingerprint(as_keys)
    changed = Form(initial={"unit": b, "units": [a, b], "text": "Rad 1\nRad 2"})
    assert versioning.fingerprint(changed) != versioning.fingerprint(as_keys)
    # Extra values the page shows (a file name) count too.
    assert versioning.fingerprint(as_keys, {"file": "a.pdf"}) != versioning.fingerprint(as_keys)
