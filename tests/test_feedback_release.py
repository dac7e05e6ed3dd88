"""A feedback released as a public document (issue 12, point 5): the handler marks what is
secret or personal, the copy (PDF) masks it, and always the person's name and contact details
and any personal identity number; the grounds are data; a sibling unit and the staff who only
register reach none of it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from audit.models import Event
from feedback.models import Masking, MaskingGround
from feedback.release import pieces
from feedback.services import handling, release
from tests.feedback_helpers import registered

pytestmark = pytest.mark.django_db

WRITTEN = (
    "Karl Berg fick fel medicin i tisdags. Hans dotter Eva Berg på\nStorgatan 5 ringde "
    "om hans diabetes, men ingen svarade."
)


def _pdf_text(content):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _ground(code):
    return MaskingGround.objects.get(code=code)


def test_marked_words_are_masked_wherever_they_stand():
    shown = pieces(
        "Eva bor på Storgatan 5.\nEVA BERG ringde; Evas bror och Evangelina kom.", ["eva"]
    )
    masked = [p.text for p in shown if p.masked]
    # Any case, the genitive, never inside another word.
    assert masked == ["Eva", "EVA", "Evas"]
    across_lines = pieces("Hon bor på Storgatan\n5 i staden.", ["Storgatan 5"])
    assert [p.text for p in across_lines if p.masked] == ["Storgatan\n5"]
    # A personal identity number is masked without being marked.
    number = pieces("Gäller 19121212-1212, som bor här.", [])
    assert [p.text for p in number if p.masked] == ["19121212-1212"]
    assert "".join(p.text for p in number) == "Gäller 19121212-1212, som bor här."


def test_the_grounds_are_data_from_the_secrecy_act():
    grounds = {g.code: g for g in MaskingGround.objects.select_related("section__regulation")}
    assert grounds["osl-26-1"].section.reference == "26 kap 1 §"
    assert grounds["osl-26-1"].default_for == "social_care"
    assert grounds["osl-25-1"].default_for == "health_care"
    assert "OSL" in grounds["osl-21-7"].section.citation


def test_the_copy_masks_what_was_marked_and_the_person(cast, login):
    feedback = registered(
        cast,
        actor=cast.manager_a,
        description=WRITTEN,
        contact_name="Eva Berg",
        contact_phone="070-123 45 67",
    )
    handling.answer(
        feedback,
        actor=cast.manager_a,
        text="Vi har gått igenom Karl Bergs medicinering med sjuksköterskan.",
        sent_by="link",
    )
    secret = _ground("osl-26-1")
    release.mark_passage(feedback, actor=cast.manager_a, passage="Karl Berg", ground=secret)
    release.mark_passage(feedback, actor=cast.manager_a, passage="diabetes", ground=secret)
    release.mark_passage(
        feedback, actor=cast.manager_a, passage="Storgatan 5", ground=_ground("osl-21-7")
    )
    # Marking the same words again keeps one mark.
    release.mark_passage(feedback, actor=cast.manager_a, passage="karl  berg", ground=secret)
    assert Masking.objects.filter(feedback=feedback).count() == 3

    client = login(cast.manager_a)
    response = client.get(reverse("feedback:copy", args=[feedback.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for hidden in ("Karl Berg", "Eva Berg", "Storgatan", "diabetes", "070-123"):
        assert hidden not in text
    assert "fel medicin i tisdags" in text and "medicinering med sjuksköterskan" in text
    assert feedback.reference in text
    assert "26 kap 1 §" in text and "21 kap 7 §" in text
    assert "maskerad" in text.lower()
    # The release is in the history, the secret words are not.
    events = Event.objects.filter(object_id=str(feedback.pk), verb__startswith="feedback.")
    verbs = list(events.values_list("verb", flat=True))
    assert "feedback.copy_released" in verbs and verbs.count("feedback.passage_masked") == 3
    assert not any("diabetes" in str(e.params) for e in events)


def test_words_not_in_the_text_get_a_clear_message_and_are_kept(cast, login):
    feedback = registered(cast, actor=cast.manager_a, description=WRITTEN)
    client = login(cast.manager_a)
    url = reverse("feedback:masking", args=[feedback.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Karl Berg fick fel medicin" in page.content.decode()
    response = client.post(url, {"passage": "Olle Svensson", "ground": _ground("osl-26-1").pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "finns inte i det som skrevs" in body and "Olle Svensson" in body
    assert not Masking.objects.exists()
    done = client.post(url, {"passage": "diabetes", "ground": _ground("osl-26-1").pk})
    assert done.status_code == 302
    shown = client.get(url).content.decode()
    assert '<span class="masked">maskerad</span>' in shown and "hans diabetes" not in shown
    marked = Masking.objects.get()
    removed = client.post(reverse("feedback:unmask", args=[feedback.pk, marked.pk]))
    assert removed.status_code == 302 and not Masking.objects.exists()


def test_a_closed_feedback_can_still_be_released_but_not_marked_by_others(cast, login):
    feedback = registered(cast, actor=cast.manager_a, description=WRITTEN)
    handling.close(feedback, actor=cast.manager_a, reason="Besvarad per telefon")
    release.mark_passage(
        feedback, actor=cast.manager_a, passage="diabetes", ground=_ground("osl-26-1")
    )
    with pytest.raises(ValidationError):
        release.mark_passage(
            feedback, actor=cast.manager_a, passage="   ", ground=_ground("osl-26-1")
        )
    urls = [
        reverse("feedback:masking", args=[feedback.pk]),
        reverse("feedback:copy", args=[feedback.pk]),
    ]
    for person in (cast.sibling, cast.same_unit):
        client = login(person)
        for url in urls:
            assert client.get(url).status_code in (403, 404)
        assert client.post(urls[0], {"passage": "Karl", "ground": 1}).status_code in (403, 404)
    assert Masking.objects.count() == 1
    assert login(cast.parent_manager).get(urls[1]).status_code == 200
