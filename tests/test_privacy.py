"""GDPR article 15: finding every record about one person and the register extract (privacy)."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from audit.models import AccessLog
from audit.services import events_for
from deviations import services as deviation_services
from deviations.investigation.models import Investigation
from privacy.models import SearchKind, SubjectAccessSearch
from tests.cast import _assign, _user

NUMBER = "19121212-1212"
IDENTITY = f"Greta Garbo {NUMBER}"


def report(cast, unit=None, affected_person=IDENTITY, kinds=None, **extra):
    deviation = deviation_services.report(
        actor=cast.same_unit,
        unit=unit or cast.unit_a,
        occurred_at=timezone.now() - timedelta(hours=1),
        description=extra.pop("description", "Brukaren föll i badrummet."),
        immediate_action="Sjuksköterska tillkallades.",
        service_user_affected="yes",
        affected_person=affected_person,
    )
    if kinds:
        deviation_services.triage(deviation, actor=cast.manager_a, kinds=kinds)
    return deviation


def search(client, term):
    return client.post(reverse("privacy:search"), {"term": term})


@pytest.mark.parametrize(
    "term", [NUMBER, "191212121212", "19121212 1212", "121212+1212", f"Garbo {NUMBER}"]
)
def test_the_number_finds_the_record_however_it_is_written(cast, login, term):
    deviation = report(cast)
    report(cast, affected_person="Bo Brukare 19010305-4572")  # someone else
    client = login(cast.quality)
    response = search(client, term)
    assert response.status_code == 302
    found = SubjectAccessSearch.objects.get()
    assert found.kind == SearchKind.PERSONAL_NUMBER and found.result_count == 1
    page = client.get(response["Location"]).content.decode()
    assert deviation.reference in page and IDENTITY in page
    assert "Bo Brukare" not in page


def test_a_name_is_found_in_any_word_order_and_case(cast, login):
    deviation = report(cast, affected_person="Greta Garbo")
    client = login(cast.quality)
    page = client.get(search(client, "garbo GRETA")["Location"]).content.decode()
    assert deviation.reference in page
    assert SubjectAccessSearch.objects.get().kind == SearchKind.NAME


def test_records_outside_the_searchers_grant_are_not_found(cast, login):
    other = _user("other_quality")
    _assign(other, "quality_developer", cast.unit_b)
    report(cast)  # in unit A
    client = login(other)
    page = client.get(search(client, NUMBER)["Location"]).content.decode()
    assert "AV-" not in page
    assert SubjectAccessSearch.objects.get().result_count == 0


@pytest.mark.parametrize("who", ["same_unit", "manager_a", "admin", "outsider"])
def test_only_the_key_holder_may_search(cast, login, who):
    report(cast)
    client = login(getattr(cast, who))
    assert client.get(reverse("privacy:search")).status_code == 403
    assert search(client, NUMBER).status_code == 403
    assert not SubjectAccessSearch.objects.exists()


def test_another_key_holder_cannot_open_my_search(cast, login):
    report(cast)
    colleague = _user("colleague")
    _assign(colleague, "quality_developer", cast.administration, subtree=True)
    search(login(cast.quality), NUMBER)
    found = SubjectAccessSearch.objects.get()
    client = login(colleague)
    assert client.get(reverse("privacy:result", args=[found.pk])).status_code == 404
    assert client.get(reverse("privacy:extract", args=[found.pk])).status_code == 404


def test_every_search_and_extract_is_logged_and_the_number_never_in_an_address(cast, login):
    deviation = report(cast)
    client = login(cast.quality)
    location = search(client, NUMBER)["Location"]
    found = SubjectAccessSearch.objects.get()
    client.get(location)
    response = client.get(reverse("privacy:extract", args=[found.pk]))
    assert response["Content-Type"] == "application/pdf"
    verbs = list(events_for(found).values_list("verb", flat=True))
    assert sorted(verbs) == ["privacy.exported", "privacy.searched"]
    reads = AccessLog.objects.filter(
        user=cast.quality, object_id=str(deviation.pk), content_type__model="deviation"
    )
    assert reads.count() == 2  # the result page and the extract
    assert (
        AccessLog.objects.filter(
            user=cast.quality, object_id=str(found.pk), content_type__model="subjectaccesssearch"
        ).count()
        == 2
    )
    for path in AccessLog.objects.values_list("path", flat=True):
        assert "1212" not in path
    found.refresh_from_db()
    assert found.exported_at is not None


def test_the_search_term_is_encrypted_at_rest(cast, login):
    from django.db import connection

    search(login(cast.quality), NUMBER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT term FROM privacy_subjectaccesssearch")
        (stored,) = cursor.fetchone()
    assert "1212" not in stored
    assert SubjectAccessSearch.objects.get().term == NUMBER


def test_the_extract_holds_the_data_purposes_recipients_and_retention(cast, login):
    deviation = report(cast, kinds=["lex_sarah"])
    client = login(cast.quality)
    search(client, NUMBER)
    found = SubjectAccessSearch.objects.get()
    response = client.get(reverse("privacy:extract", args=[found.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert deviation.reference in text
    assert "Greta Garbo" in text and "Brukaren föll i badrummet." in text
    # Purposes, legal basis, recipients, retention, source and rights: data, in Swedish.
    for words in (
        "systematiskt kvalitetsarbete",
        "artikel 6.1 c och e",
        "Inspektionen för vård och omsorg",
        "dokumenthanteringsplan",
        "medarbetare som rapporterade",
        "klaga hos Integritetsskyddsmyndigheten",
    ):
        assert words in text, words


def test_restricted_investigations_show_the_persons_part_only_to_track_readers(cast, login):
    sarah = report(cast, kinds=["lex_sarah"])
    maria = report(cast, kinds=["lex_maria"])
    for deviation, view in ((sarah, "SARAH-VIEW"), (maria, "MARIA-VIEW")):
        Investigation.objects.create(
            track=deviation.tracks.get(), person_view=view, conclusion=f"{view}-CONCLUSION"
        )
    client = login(cast.quality)  # reads lex Sarah, not lex Maria (legal/data/rules.json)
    page = client.get(search(client, NUMBER)["Location"]).content.decode()
    assert sarah.reference in page and maria.reference in page  # both exist
    assert "SARAH-VIEW" in page
    assert "MARIA-VIEW" not in page
    assert "CONCLUSION" not in page  # the analysis is never part of the extract
    assert (
        _(
            "The investigation is restricted. Its documentation is handed out by those who "
            "handle the case, after a secrecy review."
        )
        in page
    )


def test_a_wrong_number_is_refused_and_kept(cast, login):
    response = search(login(cast.quality), "19121212-1213")
    assert response.status_code == 200
    assert "19121212-1213" in response.content.decode()
    assert [e.code for e in response.context["form"].errors.as_data()["term"]] == ["invalid_number"]
    assert not SubjectAccessSearch.objects.exists()


def test_the_menu_shows_the_entry_to_the_key_holder_only(cast, login):
    assert reverse("privacy:search") in login(cast.quality).get("/").content.decode()
    assert reverse("privacy:search") not in login(cast.manager_a).get("/").content.decode()


def test_feedback_with_the_persons_name_is_in_the_extract(cast, login):
    from tests.feedback_helpers import public

    given, _token = public(cast, contact_name="Greta Garbo", description="Maten kom kall.")
    public(cast, contact_name="Bo Brukare")  # someone else
    anonymous, _token = public(cast, anonymous=True, contact_name="Greta Garbo")
    client = login(cast.quality)
    page = client.get(search(client, "garbo greta")["Location"]).content.decode()
    assert given.reference in page and "Maten kom kall." in page
    assert anonymous.reference not in page and "Bo Brukare" not in page
    # A personal identity number finds no feedback: none is kept in it.
    assert given.reference not in client.get(search(client, NUMBER)["Location"]).content.decode()
