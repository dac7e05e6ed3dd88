"""Feedback handled to an answer (issue 12, points 2–3): registered by staff, routed, confirmed,
forwarded, noted, answered, praise passed on, closed and reopened; targets as data; need-to-know
(a sibling unit sees nothing, staff register but do not read)."""

import datetime
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback, Note, Status, TargetRule
from feedback.services import handling
from legal.clocks import local_zone
from tests.feedback_helpers import public, registered

pytestmark = pytest.mark.django_db


def _days(start, end):
    return (end.astimezone(local_zone()).date() - start.astimezone(local_zone()).date()).days


def test_targets_are_data_and_a_health_care_complaint_gets_four_weeks(cast):
    feedback = registered(cast, health_care=True)
    assert _days(feedback.received_at, feedback.answer_due) == 29  # 28 days, the whole last day
    other = registered(cast, kind="opinion")
    assert other.answer_due > other.acknowledge_due > other.received_at
    praise = registered(cast, kind="praise", wants_answer=False, answer_by="")
    assert praise.answer_due is None and praise.acknowledge_due is not None
    # An administrator's edit of the data changes the next feedback's target.
    TargetRule.objects.filter(code="answer-health-care-complaint").update(amount=14)
    again = registered(cast, health_care=True)
    assert _days(again.received_at, again.answer_due) == 15


def test_the_unit_manager_confirms_answers_and_closes(cast, django_capture_on_commit_callbacks):
    feedback, _token = public(cast)
    manager = cast.manager_a
    with django_capture_on_commit_callbacks(execute=True):
        handling.acknowledge(feedback, actor=manager, message="Jag ringer dig i veckan.")
    assert [m.to for m in mail.outbox if "Jag ringer" in m.body] == [["lena@example.se"]]
    with pytest.raises(ValidationError) as refused:
        handling.answer(feedback, actor=manager, text="Svar", sent_by="letter")
    assert "postadress" in str(refused.value)
    with django_capture_on_commit_callbacks(execute=True):
        handling.answer(feedback, actor=manager, text="Vi har ändrat rutinen.", sent_by="email")
    assert any("Vi har ändrat rutinen." in m.body for m in mail.outbox)
    handling.close(feedback, actor=manager)
    assert feedback.status == Status.CLOSED
    steps = list(feedback.transitions.values_list("action", flat=True))
    assert steps == ["acknowledge", "answer", "close"]
    handling.reopen(feedback, actor=manager, reason="Dottern hörde av sig igen")
    assert feedback.status == Status.ACKNOWLEDGED


def test_closing_without_the_answer_asked_for_needs_a_reason(cast):
    feedback, _token = public(cast)
    with pytest.raises(ValidationError):
        handling.close(feedback, actor=cast.manager_a)
    handling.close(feedback, actor=cast.manager_a, reason="Personen drog tillbaka det per telefon")
    with pytest.raises(ValidationError):  # not twice
        handling.close(feedback, actor=cast.manager_a, reason="Igen")


def test_forwarding_moves_it_to_the_other_unit_and_its_managers(cast, login):
    feedback, _token = public(cast)
    with pytest.raises(ValidationError):
        handling.forward(feedback, actor=cast.manager_a, unit=cast.unit_b, reason="")
    handling.forward(feedback, actor=cast.manager_a, unit=cast.unit_b, reason="Gäller enhet B")
    assert feedback.unit == cast.unit_b
    # Unit A's manager no longer reads it; the department manager still does.
    url = reverse("feedback:detail", args=[feedback.pk])
    assert login(cast.manager_a).get(url).status_code == 404
    assert login(cast.parent_manager).get(url).status_code == 200


def test_praise_is_passed_on_to_the_units_people(cast, django_capture_on_commit_callbacks):
    feedback, _token = public(cast, kind="praise", wants_answer=False, answer_by="")
    with django_capture_on_commit_callbacks(execute=True):
        count = handling.pass_on_praise(
            feedback, actor=cast.manager_a, message="Tack för hjälpen i helgen!"
        )
    assert count >= 2  # the staff member and the manager of unit A
    assert {cast.same_unit.email, cast.manager_a.email} <= {
        address for m in mail.outbox if "Tack för hjälpen" in m.body for address in m.to
    }
    assert feedback.status == Status.CLOSED
    complaint, _token = public(cast)
    with pytest.raises(ValidationError):
        handling.pass_on_praise(complaint, actor=cast.manager_a, message="x")


def test_a_note_sent_twice_is_one_note(cast):
    feedback, _token = public(cast)
    token = uuid.uuid4()
    handling.add_note(feedback, actor=cast.manager_a, text="Ringde dottern.", form_token=token)
    handling.add_note(feedback, actor=cast.manager_a, text="Ringde dottern.", form_token=token)
    assert Note.objects.filter(feedback=feedback).count() == 1


def test_need_to_know(cast, login):
    feedback, _token = public(cast)
    url = reverse("feedback:detail", args=[feedback.pk])
    assert login(cast.manager_a).get(url).status_code == 200
    for person in (cast.sibling, cast.outsider, cast.other_root, cast.admin):
        client = login(person)
        assert client.get(url).status_code in (403, 404), person
        listing = client.get(reverse("feedback:list"))
        assert listing.status_code == 403 or feedback.reference not in listing.content.decode()
    # A staff member registers feedback for the unit but does not read the unit's feedback.
    staff = login(cast.same_unit)
    assert staff.get(reverse("feedback:register")).status_code == 200
    assert staff.get(reverse("feedback:list")).status_code == 403
    with pytest.raises(PermissionDenied):
        handling.acknowledge(feedback, actor=cast.same_unit)
    assert login(cast.parent_manager).get(reverse("feedback:held")).status_code == 403


def test_a_read_of_feedback_is_logged(cast, login):
    from audit.models import AccessLog

    feedback, _token = public(cast)
    login(cast.manager_a).get(reverse("feedback:detail", args=[feedback.pk]))
    assert AccessLog.objects.filter(object_id=str(feedback.pk), user=cast.manager_a).exists()


def test_staff_register_feedback_received_by_phone(cast, login):
    client = login(cast.same_unit)
    url = reverse("feedback:register")
    data = {
        "unit": cast.unit_a.pk,
        "channel": "patient_board",
        "received_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "kind": "complaint",
        "health_care": "on",
        "description": "Patientnämnden förmedlar ett klagomål om såromläggning.",
        "wants_answer": "yes",
        "answer_by": "letter",
        "contact_name": "Karl Berg",
        "contact_address": "Storgatan 1\n123 45 Exempelstad",
        "submission_key": str(uuid.uuid4()),
    }
    future = dict(data, received_on=(timezone.localdate() + datetime.timedelta(days=1)).isoformat())
    refused = client.post(url, future)
    assert refused.status_code == 200 and refused.context["form"]["description"].value()
    registered = client.post(url, data)
    assert registered.status_code == 302 and registered["Location"] == url  # not hers to read
    assert client.post(url, data).status_code == 302  # sent twice: one record
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.registered_by, feedback.health_care) == (
        "patient_board",
        cast.same_unit,
        True,
    )
    assert timezone.localtime(feedback.received_at).date() == timezone.localdate() - (
        datetime.timedelta(days=2)
    )


def test_the_list_reads_a_fixed_number_of_queries(cast, login):
    client = login(cast.parent_manager)
    public(cast)
    client.get(reverse("feedback:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("feedback:list"))
    for _ in range(5):
        public(cast, about=cast.unit_b)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("feedback:list"))
    assert response.context["page"].paginator.count == 6
    assert len(many) == len(few)


def test_the_start_figures_count_the_rows_of_their_lists(cast, login):
    from feedback import figures

    first, _token = public(cast)
    public(cast)
    handling.acknowledge(first, actor=cast.manager_a)
    Feedback.objects.filter(pk=first.pk).update(
        answer_due=timezone.now() - datetime.timedelta(days=1)
    )
    client = login(cast.manager_a)
    assert figures.unacknowledged(cast.manager_a) == 1
    assert figures.late(cast.manager_a) == 1
    for query, count in ((figures.UNACKNOWLEDGED, 1), (figures.LATE, 1)):
        page = client.get(reverse("feedback:list") + "?" + query).context["page"]
        assert page.paginator.count == count


def test_every_page_opens_for_the_people_who_use_it(cast, login):
    feedback, token = public(cast)
    praise, _token = public(cast, kind="praise", wants_answer=False, answer_by="")
    manager = login(cast.manager_a)
    for url in [
        reverse("feedback:list"),
        reverse("feedback:list") + "?show=all&kind=complaint",
        reverse("feedback:register"),
        reverse("feedback:detail", args=[feedback.pk]),
        *(
            reverse(f"feedback:{step}", args=[feedback.pk])
            for step in ("acknowledge", "forward", "note", "answer", "close")
        ),
        reverse("feedback:praise", args=[praise.pk]),
    ]:
        assert manager.get(url).status_code == 200, url
    assert manager.get(reverse("feedback:praise", args=[feedback.pk])).status_code == 403
    # A step refused by the form keeps what was typed.
    refused = manager.post(reverse("feedback:answer", args=[feedback.pk]), {"text": "Svaret"})
    assert refused.status_code == 200 and refused.context["form"]["text"].value() == "Svaret"
    done = manager.post(
        reverse("feedback:answer", args=[feedback.pk]), {"text": "Svaret", "sent_by": "email"}
    )
    assert done.status_code == 302
    assert manager.get(reverse("feedback:reopen", args=[feedback.pk])).status_code == 200
    coordinator = login(cast.quality)
    assert coordinator.get(reverse("feedback:held")).status_code == 200


def test_the_answer_as_a_letter_to_print_or_edit(cast, login):
    import io

    from docx import Document
    from pypdf import PdfReader

    feedback, _token = public(
        cast,
        answer_by="letter",
        contact_name="Karl Berg",
        contact_address="Storgatan 1\n123 45 Exempelstad",
    )
    client = login(cast.manager_a)
    pdf_url = reverse("feedback:letter", args=[feedback.pk, "pdf"])
    assert client.get(pdf_url).status_code == 404  # no answer yet
    handling.answer(feedback, actor=cast.manager_a, text="Vi har ändrat rutinen.", sent_by="letter")
    response = client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Karl Berg" in text and "Storgatan 1" in text and feedback.reference in text
    assert "Vi har ändrat rutinen." in text
    word = client.get(reverse("feedback:letter", args=[feedback.pk, "docx"]))
    paragraphs = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "Vi har ändrat rutinen." in paragraphs and "Karl Berg" in paragraphs
    assert login(cast.parent_manager).get(pdf_url).status_code == 200
    assert login(cast.sibling).get(pdf_url).status_code in (403, 404)
