"""The public way in (issue 12, point 1): no login, a receipt with a reference and a private
link, the status and the answer behind that link only; abuse held, never lost; bad input keeps
what was typed."""

import re
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from feedback.models import Feedback, Status
from feedback.services.handling import acknowledge, answer, release
from feedback.services.intake import submit
from tests.feedback_helpers import fields, public
from tests.fixtures.documents import make as make_documents

pytestmark = pytest.mark.django_db
FORM = reverse("feedback_public:form")


def _post(client, cast, url=FORM, **values):
    data = {
        "kind": "complaint",
        "about": cast.unit_a.pk,
        "description": "Besöket kom två timmar för sent.",
        "wants_answer": "yes",
        "answer_by": "email",
        "contact_name": "Lena Svensson",
        "contact_email": "lena@example.se",
        "submission_key": str(uuid.uuid4()),
        **values,
    }
    return client.post(url, {k: v for k, v in data.items() if v is not None})


def test_a_member_of_the_public_gives_feedback_and_follows_it_by_the_link(
    cast, client, django_capture_on_commit_callbacks
):
    assert client.get(FORM).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, cast)
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.unit, feedback.channel, feedback.status) == (cast.unit_a, "web", "received")
    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert feedback.reference in html
    link = re.search(r'id="receipt-link" href="([^"]+)"', html).group(1)
    # The receipt by e-mail carries the same link; the unit's manager hears of it by
    # reference and unit, without what was written.
    to_person = [m for m in mail.outbox if m.to == ["lena@example.se"]]
    path = link[link.index("/synpunkt/") :]
    assert to_person and path in to_person[0].body
    to_manager = [m for m in mail.outbox if m.to == [cast.manager_a.email]]
    assert to_manager and feedback.reference in to_manager[0].body
    assert "två timmar" not in to_manager[0].body
    status = client.get(path).content.decode()
    assert 'id="public-status"' in status and "Lena" not in status
    acknowledge(feedback, actor=cast.manager_a)
    answer(feedback, actor=cast.manager_a, text="Vi ber om ursäkt.", sent_by="link")
    assert "Vi ber om ursäkt." in client.get(path).content.decode()
    # Another link, or a mistyped one, is the same 404.
    assert client.get(path[:-3] + "xyz/").status_code == 404
    assert client.get(reverse("feedback_public:status", args=["x" * 32])).status_code == 404


def test_the_same_submission_sent_twice_is_one_feedback_with_one_receipt(cast, client):
    key = str(uuid.uuid4())
    first = _post(client, cast, submission_key=key)
    second = _post(client, cast, submission_key=key)
    assert Feedback.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_anonymous_feedback_keeps_no_contact_details_and_answers_through_the_link(cast, client):
    _post(client, cast, anonymous="on", answer_by="email", contact_phone="070-1112233")
    feedback = Feedback.objects.get()
    assert feedback.anonymous and feedback.answer_by == "link"
    assert (feedback.contact_name, feedback.contact_email, feedback.contact_phone) == ("", "", "")


def test_bad_input_gets_a_swedish_message_and_keeps_what_was_typed(cast, client):
    typed = "Min mamma 19121212-1212 fick fel medicin."
    response = _post(client, cast, description=typed)
    assert response.status_code == 200 and not Feedback.objects.exists()
    form = response.context["form"]
    assert "personnummer" in str(form.errors["description"])
    assert form["description"].value() == typed
    missing = _post(client, cast, description="Sen ankomst", contact_email="")
    assert "e-postadress" in str(missing.context["form"].errors["contact_email"])
    wrong = _post(
        client,
        cast,
        description="Se bifogad fil",
        attachment=SimpleUploadedFile("brev.exe", b"MZ\x90\x00", "application/octet-stream"),
    )
    assert wrong.status_code == 200 and not Feedback.objects.exists()
    assert "brev.exe" in str(wrong.context["form"].errors["attachment"])
    assert wrong.context["form"]["description"].value() == "Se bifogad fil"
    from deviations.reporting.attachments import MAX_ATTACHMENT_SIZE

    big = _post(
        client,
        cast,
        description="Bilden från kvällen",
        attachment=SimpleUploadedFile(
            "kvall.pdf", b"%PDF-" + b"0" * MAX_ATTACHMENT_SIZE, "application/pdf"
        ),
    )
    assert big.status_code == 200 and not Feedback.objects.exists()
    assert "större än" in str(big.context["form"].errors["attachment"])
    assert big.context["form"]["description"].value() == "Bilden från kvällen"


def test_an_attachment_checked_like_a_deviations_is_kept(cast, client):
    png = make_documents.png()
    response = _post(client, cast, attachment=SimpleUploadedFile("bild.png", png, "image/png"))
    assert response.status_code == 302
    assert [a.name for a in Feedback.objects.get().attachments.all()] == ["bild.png"]


def test_the_honeypot_and_the_rate_limit_hold_abuse_without_losing_a_genuine_submission(
    cast, client, settings, django_capture_on_commit_callbacks
):
    trapped = _post(client, cast, website="http://spam.example")
    assert trapped.status_code == 302  # the same receipt: nothing tells a program it was caught
    held = Feedback.objects.get()
    assert held.status == Status.HELD and "dolt" in held.held_reason
    for _ in range(5):
        _post(client, cast, description="Ännu en synpunkt")
    over = _post(client, cast, description="Den sjätte inom timmen")
    assert over.status_code == 302
    sixth = Feedback.objects.get(description="Den sjätte inom timmen")
    assert sixth.status == Status.HELD and "samma adress" in sixth.held_reason
    assert Feedback.objects.count() == 7  # nothing lost
    # The unit's handlers see none of the held; a coordinator releases the genuine one.
    listing = _login(client, cast.manager_a).get(reverse("feedback:list")).content.decode()
    assert sixth.reference not in listing
    with django_capture_on_commit_callbacks(execute=True):
        release(sixth, actor=cast.quality)
    sixth.refresh_from_db()
    assert sixth.status == Status.RECEIVED
    assert sixth.reference in client.get(reverse("feedback:list")).content.decode()
    assert any(m.to == [cast.manager_a.email] for m in mail.outbox)


def test_no_address_is_stored_with_the_feedback(cast):
    feedback, _token = submit(fields=fields(about=cast.unit_a), address="203.0.113.9")
    stored = {f.name: getattr(feedback, f.attname) for f in Feedback._meta.concrete_fields}
    assert not any("203.0.113.9" in str(value) for value in stored.values())


def test_feedback_about_an_operation_goes_to_its_unit_and_the_unknown_to_the_coordinators(cast):
    from organisation.models import NodeKind
    from organisation.services import create_node

    ward = create_node(actor=None, kind=NodeKind.OPERATION, name="Avdelning 1", parent=cast.unit_a)
    assert public(cast, about=ward)[0].unit == cast.unit_a
    unknown = submit(fields=fields(about=None))[0]
    assert unknown.unit == cast.quality.assignments.get().node


def _login(client, user):
    client.force_login(user, backend="accounts.backends.RoleBackend")
    return client


def test_the_form_in_plain_swedish_takes_the_same_feedback(cast, client):
    plain = reverse("feedback_public:plain_form")
    assert plain in client.get(reverse("feedback_public:plain")).content.decode()
    # In plain Swedish whatever language the visitor chose.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(plain).content.decode()
    assert "Berätta vad som hände" in page and "Jag vill klaga" in page
    assert "Jag vet inte" in page and 'lang="sv"' in page
    refused = _post(client, cast, url=plain, description="Ingen kom", contact_email="")
    assert refused.status_code == 200 and not Feedback.objects.exists()
    assert refused.context["form"]["description"].value() == "Ingen kom"
    assert "Din e-post" in refused.content.decode()
    sent = _post(client, cast, url=plain, description="Ingen kom på tisdagen.")
    assert sent.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.unit, feedback.language) == ("complaint", cast.unit_a, "sv")
