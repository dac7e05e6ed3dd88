"""The reporter's side of deviations: the report form, the receipt, My reports, the unit's link.

Also the detection of personal identity numbers in free text (core/pin.py).
"""

import io
import uuid
from datetime import date, timedelta

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from core.pin import find_personal_numbers, luhn_ok
from deviations import services
from deviations.models import Attachment, Deviation, DeviationStatus
from deviations.reporting import attachments
from deviations.reporting.forms import ReportForm
from deviations.reporting.views import report_units
from legal.rules import TrackKind
from organisation.models import OrgNode
from tests.fixtures.documents import make as make_documents

# Real files: attachments are decoded and parsed (core/documents.py), not just sniffed.
PNG = make_documents.png()
PDF = make_documents.pdf_plain()


# -- personal identity numbers ------------------------------------------------------------------


def check_digit(nine):
    """The Luhn check digit of the first nine digits of the ten-digit form."""
    total = 0
    for i, char in enumerate(nine):
        product = int(char) * (2 if i % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


def pin(yymmdd, serial="123"):
    """A Luhn-correct ten-digit number: YYMMDD + three digits + check digit."""
    return yymmdd + serial + check_digit(yymmdd + serial)


def wrong(number):
    """The same number with a check digit that fails."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


# Obviously fictitious: born on 12 December 1912 (over a hundred years old) and in 1901.
P1912 = pin("121212", "121")  # Skatteverket's classic example, 121212-1212
P1901 = pin("010305", "457")
CO_ORDINATION = pin("120372", "385")  # samordningsnummer: day 12 + 60


def test_the_test_data_is_luhn_correct():
    assert P1912 == "1212121212"
    for number in (P1912, P1901, CO_ORDINATION):
        assert luhn_ok(number)
        assert not luhn_ok(wrong(number))


@pytest.mark.parametrize(
    "written",
    [
        f"{P1912[:6]}-{P1912[6:]}",  # YYMMDD-XXXX
        f"{P1912[:6]}+{P1912[6:]}",  # YYMMDD+XXXX (over a hundred years old)
        P1912,  # YYMMDDXXXX
        f"19{P1912[:6]}-{P1912[6:]}",  # YYYYMMDD-XXXX
        f"19{P1912}",  # YYYYMMDDXXXX
        f"{P1912[:6]} - {P1912[6:]}",  # spaces around the dash
        f"{P1912[:6]} -{P1912[6:]}",
        f"19{P1912[:6]}- {P1912[6:]}",
        f"{P1912[:6]}\u2013{P1912[6:]}",  # en dash, as a phone may write it
        f"{P1901[:6]}-{P1901[6:]}",
        f"{CO_ORDINATION[:6]}-{CO_ORDINATION[6:]}",  # samordningsnummer
        f"19{CO_ORDINATION}",
        f"19{P1912[:6]}+{P1912[6:]}",  # "+" with the century too: written so, still a number
    ],
)
def test_personal_numbers_are_found_in_every_form(written):
    text = f"Brukaren ({written}) föll i badrummet."
    assert find_personal_numbers(text) == [written]


def test_several_numbers_in_order():
    first, second = f"{P1912[:6]}-{P1912[6:]}", f"19{P1901}"
    assert find_personal_numbers(f"{first} och {second}.") == [first, second]


@pytest.mark.parametrize(
    "text",
    [
        "",
        f"Brukaren {P1912[:6]}-{wrong(P1912)[6:]} föll.",  # fails Luhn
        f"Brukaren {wrong(P1912)} föll.",
        f"Brukaren 19{wrong(P1901)} föll.",
        f"Nummer {pin('121312')}.",  # month 13
        f"Nummer {pin('120230')}.",  # 30 February
        f"Nummer {pin('120200')}.",  # day 0
        f"Nummer {pin('120192')}.",  # day 92: no samordningsnummer either
        f"Nummer 20{pin('991212')}.",  # born in the future
        f"Nummer 17{pin('991212')}.",  # born before anyone alive or in records
        "Ring 070-123 45 67 eller 08-123 456 78.",  # phone numbers as usually written
        "Ring +46 70 123 45 67.",
        "Anhörig nås på 0701234567.",  # fails Luhn
        "Händelsen 2024-01-15 kl 14.30, datum 20240115, 15/01/2024.",  # dates
        f"Referens AV-2025-{P1912[:6]}, order 4{P1912}, konto 1{P1912}9.",  # longer numbers
        f"Kontonummer 0{P1912}.",  # eleven digits
        "Tolv siffror 123456789012 och tio siffror 9876543210.",
    ],
)
def test_other_numbers_are_not_taken_for_personal_numbers(text):
    assert find_personal_numbers(text) == []


def test_a_ten_digit_number_after_a_phone_word_is_a_phone_number():
    # 070-XYZ… numbers can look like a date and pass Luhn; after "ring" they are phone numbers.
    number = pin("070112", "345")
    assert find_personal_numbers(f"Jag ringde anhörig på {number}.") == []
    assert find_personal_numbers(f"Tel. {number}") == []
    assert find_personal_numbers(f"Mobil: {number}") == []
    assert find_personal_numbers(f"Ring. Brukaren {number} föll.") == [number]
    # …but not when the text says it is a personnummer.
    assert find_personal_numbers(f"Ring om personnummer {number}.") == [number]
    assert find_personal_numbers(f"Brukaren {number} föll.") == [number]


def test_the_birth_date_check_uses_today():
    recent = f"20{pin('240101')}"
    assert find_personal_numbers(recent, today=date(2025, 1, 1)) == [recent]
    assert find_personal_numbers(recent, today=date(2023, 12, 31)) == []


def test_29_february_only_in_leap_years():
    assert find_personal_numbers(f"19{pin('120229')}") != []
    assert find_personal_numbers(f"19{pin('130229')}") == []
    assert find_personal_numbers(pin("000229")) != []  # 2000 was a leap year


# -- the form -----------------------------------------------------------------------------------


def now_local():
    return timezone.localtime().replace(second=0, microsecond=0)


def form_data(cast, **extra):
    data = {
        "unit": cast.unit_a.pk,
        "occurred_at": (now_local() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "description": "Brukaren fick fel läkemedel vid kvällsrundan.",
        "immediate_action": "Sjuksköterskan kontaktades direkt.",
        "service_user_affected": "yes",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_the_form_has_at_most_six_required_inputs(cast):
    form = ReportForm(units=report_units(cast.same_unit))
    required = [name for name, field in form.fields.items() if field.required]
    assert len(required) <= 6, required
    assert set(required) == {
        "unit",
        "occurred_at",
        "description",
        "immediate_action",
        "service_user_affected",
    }


def test_the_form_is_prefilled_and_carries_a_submission_key(cast, login):
    response = login(cast.same_unit).get(reverse("deviations:report"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["unit"].value() == cast.unit_a.pk  # the only unit: preselected
    shown = form["occurred_at"].value()  # in local time, as the input shows it
    assert abs(shown - timezone.localtime().replace(tzinfo=None)) < timedelta(minutes=2)
    key = form["submission_key"].value()
    assert uuid.UUID(str(key))
    assert f'value="{key}"' in response.content.decode()
    assert b'type="datetime-local"' in response.content
    assert b'enctype="multipart/form-data"' in response.content


def test_a_report_redirects_to_its_receipt(cast, login):
    client = login(cast.same_unit)
    response = client.post(reverse("deviations:report"), form_data(cast, place="Köket"))
    deviation = Deviation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deviations:received", kwargs={"pk": deviation.pk})
    assert deviation.reported_by == cast.same_unit
    assert deviation.unit == cast.unit_a
    assert deviation.place == "Köket"
    assert deviation.status == DeviationStatus.REPORTED
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert deviation.reference.encode() in receipt.content
    assert b'id="reference"' in receipt.content


def test_a_double_submit_creates_one_report(cast, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(cast.same_unit)
    data = form_data(cast)
    first = client.post(
        reverse("deviations:report"),
        {**data, "attachments": SimpleUploadedFile("bild.png", PNG, "image/png")},
    )
    second = client.post(
        reverse("deviations:report"),
        {**data, "attachments": SimpleUploadedFile("bild.png", PNG, "image/png")},
    )
    assert Deviation.objects.count() == 1
    assert Attachment.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] + "?again=1"  # "already sent"


def test_a_personal_number_in_free_text_is_refused_and_the_text_kept(cast, login):
    typed = f"Brukaren {P1912[:6]}-{P1912[6:]} föll i badrummet på natten."
    response = login(cast.same_unit).post(
        reverse("deviations:report"), form_data(cast, description=typed, place="Rum 12")
    )
    assert response.status_code == 200
    assert Deviation.objects.count() == 0
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["description"]] == ["personal_number"]
    assert typed in response.content.decode()
    assert "Rum 12" in response.content.decode()


@pytest.mark.parametrize("field", ["immediate_action", "place"])
def test_a_personal_number_is_refused_in_every_free_text(cast, login, field):
    response = login(cast.same_unit).post(
        reverse("deviations:report"), form_data(cast, **{field: f"Se 19{P1901}"})
    )
    assert field in response.context["form"].errors
    assert Deviation.objects.count() == 0


def test_the_protected_field_accepts_a_personal_number(cast, login):
    number = f"19{P1912[:6]}-{P1912[6:]}"
    response = login(cast.same_unit).post(
        reverse("deviations:report"), form_data(cast, affected_person=f"Bo Brukare {number}")
    )
    assert response.status_code == 302
    assert Deviation.objects.get().affected_person == f"Bo Brukare {number}"


def test_a_time_in_the_future_is_refused(cast, login):
    later = (now_local() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = login(cast.same_unit).post(
        reverse("deviations:report"), form_data(cast, occurred_at=later)
    )
    assert response.status_code == 200
    assert "occurred_at" in response.context["form"].errors
    assert Deviation.objects.count() == 0


def test_required_answers_are_required(cast, login):
    data = form_data(cast)
    for name in ("description", "immediate_action", "service_user_affected", "occurred_at"):
        data.pop(name)
    response = login(cast.same_unit).post(reverse("deviations:report"), data)
    assert set(response.context["form"].errors) == {
        "description",
        "immediate_action",
        "service_user_affected",
        "occurred_at",
    }
    assert b'class="error-summary"' in response.content
    assert Deviation.objects.count() == 0


# -- units --------------------------------------------------------------------------------------


def test_a_staff_member_cannot_report_for_the_sibling_unit(cast, login):
    client = login(cast.sibling)
    page = client.get(reverse("deviations:report"))
    assert list(page.context["form"].fields["unit"].queryset) == [cast.unit_b]
    response = client.post(reverse("deviations:report"), form_data(cast))
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert Deviation.objects.count() == 0
    link = reverse("deviations:report_unit", kwargs={"unit_pk": cast.unit_a.pk})
    assert client.get(link).status_code == 404
    assert client.post(link, form_data(cast)).status_code == 404
    assert Deviation.objects.count() == 0


def test_the_unit_link_preselects_its_unit(cast, login):
    client = login(cast.parent_manager)
    plain = client.get(reverse("deviations:report"))
    choices = set(plain.context["form"].fields["unit"].queryset)
    assert {cast.unit_a, cast.unit_b, cast.provider_node} <= choices
    assert plain.context["form"]["unit"].value() is None  # several: the person chooses
    link = reverse("deviations:report_unit", kwargs={"unit_pk": cast.unit_b.pk})
    page = client.get(link)
    assert page.context["form"]["unit"].value() == cast.unit_b.pk
    response = client.post(link, form_data(cast, unit=cast.unit_b.pk))
    assert response.status_code == 302
    assert Deviation.objects.get().unit == cast.unit_b


def test_unknown_and_closed_units_answer_404_on_the_link(cast, login):
    client = login(cast.parent_manager)
    unknown = reverse("deviations:report_unit", kwargs={"unit_pk": 999999})
    assert client.get(unknown).status_code == 404
    OrgNode.objects.filter(pk=cast.unit_b.pk).update(is_active=False)
    closed = reverse("deviations:report_unit", kwargs={"unit_pk": cast.unit_b.pk})
    assert client.get(closed).status_code == 404
    page = client.get(reverse("deviations:report"))
    assert cast.unit_b not in page.context["form"].fields["unit"].queryset


@pytest.mark.parametrize("who", ["outsider", "other_root"])
def test_people_outside_the_tree_cannot_report_for_the_unit(cast, login, who):
    link = reverse("deviations:report_unit", kwargs={"unit_pk": cast.unit_a.pk})
    assert login(getattr(cast, who)).get(link).status_code in (403, 404)


# -- receipt and My reports ---------------------------------------------------------------------


def file_report(cast, actor=None, unit=None, **extra):
    fields = {
        "occurred_at": timezone.now() - timedelta(hours=2),
        "description": "Dörren till medicinskåpet stod olåst.",
        "immediate_action": "Skåpet låstes.",
        "service_user_affected": "no",
    }
    fields.update(extra)
    return services.report(actor=actor or cast.same_unit, unit=unit or cast.unit_a, **fields)


@pytest.mark.parametrize(
    "who", ["sibling", "manager_a", "parent_manager", "outsider", "other_root"]
)
def test_someone_elses_report_answers_404(cast, login, who):
    deviation = file_report(cast)
    client = login(getattr(cast, who))
    for name in ("deviations:received", "deviations:mine_detail"):
        status = client.get(reverse(name, kwargs={"pk": deviation.pk})).status_code
        assert status == (403 if who == "outsider" else 404), (name, status)


def test_unknown_reports_answer_404(cast, login):
    client = login(cast.same_unit)
    for name in ("deviations:received", "deviations:mine_detail", "deviations:attachment"):
        assert client.get(reverse(name, kwargs={"pk": 999999})).status_code == 404


def test_my_reports_lists_only_my_own_with_bounded_queries(
    cast, login, django_assert_max_num_queries
):
    mine = [file_report(cast) for _ in range(3)]
    theirs = file_report(cast, actor=cast.manager_a)
    client = login(cast.same_unit)
    url = reverse("deviations:mine")
    client.get(url)  # warm the caches (content types, session)
    with django_assert_max_num_queries(6):
        response = client.get(url)
    shown = list(response.context["page"].object_list)
    assert shown == sorted(mine, key=lambda d: (d.reported_at, d.pk), reverse=True)
    assert theirs.reference.encode() not in response.content
    for deviation in mine:
        assert deviation.reference.encode() in response.content
    more = [file_report(cast) for _ in range(10)]
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert len(response.context["page"].object_list) == len(mine) + len(more)


def test_my_reports_are_paginated(cast, login):
    for _ in range(26):
        file_report(cast)
    client = login(cast.same_unit)
    first = client.get(reverse("deviations:mine"))
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("deviations:mine") + "?page=2")
    assert len(second.context["page"].object_list) == 1


def test_my_report_shows_what_i_reported_and_logs_the_read(cast, login):
    deviation = file_report(cast, place="Hallen", affected_person="Bo Brukare")
    client = login(cast.same_unit)
    response = client.get(reverse("deviations:mine_detail", kwargs={"pk": deviation.pk}))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Dörren till medicinskåpet stod olåst." in content and "Hallen" in content
    assert "Bo Brukare" not in content  # the protected field is not echoed
    log = AccessLog.objects.get(user=cast.same_unit)
    assert log.object_id == str(deviation.pk)
    assert log.content_type.model == "deviation"


def test_my_report_shows_why_it_is_not_a_deviation(cast, login):
    deviation = file_report(cast)
    services.triage(
        deviation,
        actor=cast.manager_a,
        kinds=[TrackKind.NOT_DEVIATION],
        reason="Beskriver ett önskemål om nya rutiner.",
    )
    response = login(cast.same_unit).get(
        reverse("deviations:mine_detail", kwargs={"pk": deviation.pk})
    )
    assert b'id="not-deviation"' in response.content
    assert "Beskriver ett önskemål om nya rutiner." in response.content.decode()
    assert response.context["deviation"].status == DeviationStatus.CLOSED


def test_my_report_shows_no_details_of_a_lex_sarah_track(cast, login):
    deviation = file_report(cast)
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH])
    response = login(cast.same_unit).get(
        reverse("deviations:mine_detail", kwargs={"pk": deviation.pk})
    )
    assert response.status_code == 200
    assert response.context["not_deviation"] is None
    assert b'id="not-deviation"' not in response.content
    assert response.context["deviation"].status == DeviationStatus.TRIAGED
    assert "tracks" not in response.context


# -- the unit's link and QR code ----------------------------------------------------------------


def test_the_unit_manager_prints_the_link(cast, login, settings):
    settings.SITE_URL = "https://hjulet.kommun.example"
    response = login(cast.manager_a).get(
        reverse("deviations:unit_link", kwargs={"unit_pk": cast.unit_a.pk})
    )
    assert response.status_code == 200
    link = "https://hjulet.kommun.example" + reverse(
        "deviations:report_unit", kwargs={"unit_pk": cast.unit_a.pk}
    )
    assert response.context["link"] == link
    content = response.content.decode()
    assert link in content and "Enhet A" in content
    assert reverse("deviations:unit_qr", kwargs={"unit_pk": cast.unit_a.pk}) in content
    assert "data-print" in content


def test_without_site_url_the_link_is_the_address_asked_at(cast, login, settings):
    settings.SITE_URL = ""
    response = login(cast.manager_a).get(
        reverse("deviations:unit_link", kwargs={"unit_pk": cast.unit_a.pk})
    )
    assert response.context["link"] == "http://testserver" + reverse(
        "deviations:report_unit", kwargs={"unit_pk": cast.unit_a.pk}
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("manager_a", 200),
        ("parent_manager", 200),
        ("same_unit", 403),
        ("sibling", 404),
        ("other_root", 404),
        ("outsider", 403),
    ],
)
def test_unit_link_and_qr_access(cast, login, who, status):
    client = login(getattr(cast, who))
    for name in ("deviations:unit_link", "deviations:unit_qr"):
        response = client.get(reverse(name, kwargs={"unit_pk": cast.unit_a.pk}))
        assert response.status_code == status, (name, response.status_code)


def test_unit_qr_is_an_svg_of_the_link(cast, login, settings):
    settings.SITE_URL = "https://hjulet.kommun.example"
    client = login(cast.manager_a)
    response = client.get(reverse("deviations:unit_qr", kwargs={"unit_pk": cast.unit_a.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"<svg" in response.content and b"http://www.w3.org/2000/svg" in response.content
    # The code holds the unit's link: the same link drawn by segno gives the same picture.
    link = "https://hjulet.kommun.example" + reverse(
        "deviations:report_unit", kwargs={"unit_pk": cast.unit_a.pk}
    )
    expected = segno.make(link, error="m")
    drawn = io.BytesIO()
    expected.save(drawn, kind="svg", scale=8, border=4, omitsize=True, dark="#000", light="#fff")
    assert response.content == drawn.getvalue()
    other = client.get(reverse("deviations:unit_qr", kwargs={"unit_pk": cast.unit_b.pk}))
    assert other.status_code == 404  # manager_a's subtree does not hold Enhet B


# -- attachments --------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def report_with_file(cast, client, name="foto.png", content=PNG, **extra):
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    return client.post(
        reverse("deviations:report"), {**form_data(cast, **extra), "attachments": upload}
    )


def test_an_attachment_is_stored_and_downloadable(cast, login, media):
    client = login(cast.same_unit)
    upload = [
        SimpleUploadedFile("foto.png", PNG, "image/png"),
        SimpleUploadedFile("intyg.pdf", PDF, "application/pdf"),
    ]
    response = client.post(reverse("deviations:report"), {**form_data(cast), "attachments": upload})
    assert response.status_code == 302
    deviation = Deviation.objects.get()
    files = {a.name: a for a in deviation.attachments.all()}
    assert set(files) == {"foto.png", "intyg.pdf"}
    assert files["foto.png"].uploaded_by == cast.same_unit
    assert (media / files["foto.png"].file.name).exists()

    url = reverse("deviations:attachment", kwargs={"pk": files["foto.png"].pk})
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert "foto.png" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PNG

    manager = login(cast.parent_manager).get(url)
    assert manager.status_code == 200
    assert b"".join(manager.streaming_content) == PNG

    for who in ("sibling", "other_root", "outsider"):
        assert login(getattr(cast, who)).get(url).status_code == 404, who


def test_reads_of_attachments_are_logged(cast, login, media):
    report_with_file(cast, login(cast.same_unit))
    item = Attachment.objects.get()
    url = reverse("deviations:attachment", kwargs={"pk": item.pk})
    b"".join(login(cast.parent_manager).get(url).streaming_content)
    log = AccessLog.objects.get(user=cast.parent_manager)
    assert log.object_id == str(item.deviation_id)
    assert log.path == url
    assert not AccessLog.objects.filter(user=cast.sibling).exists()
    login(cast.sibling).get(url)
    assert not AccessLog.objects.filter(user=cast.sibling).exists()


def test_the_report_of_my_own_lists_its_files(cast, login, media):
    client = login(cast.same_unit)
    report_with_file(cast, client)
    item = Attachment.objects.get()
    page = client.get(reverse("deviations:mine_detail", kwargs={"pk": item.deviation_id}))
    assert reverse("deviations:attachment", kwargs={"pk": item.pk}).encode() in page.content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("stor.pdf", b"%PDF-" + b"0" * (attachments.MAX_ATTACHMENT_SIZE)),  # 10 MB and 5 bytes
        ("program.exe", b"MZ" + b"0" * 64),
        ("sida.html", b"<html><script>alert(1)</script></html>"),
        ("foto.png", b"<html>not a picture</html>"),  # the name says PNG, the content does not
    ],
)
def test_a_file_too_large_or_of_the_wrong_kind_is_refused(cast, login, media, name, content):
    typed = "Brukaren halkade på det våta golvet i hallen."
    response = report_with_file(cast, login(cast.same_unit), name, content, description=typed)
    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    assert response.context["files_dropped"]
    assert Deviation.objects.count() == 0 and Attachment.objects.count() == 0
    assert typed in response.content.decode()


def test_add_attachment_checks_who_adds(cast, media):
    deviation = file_report(cast)
    upload = SimpleUploadedFile("foto.png", PNG, "image/png")
    with pytest.raises(services.PermissionDenied):
        attachments.add_attachment(deviation, upload, actor=cast.sibling)
    added = attachments.add_attachment(deviation, upload, actor=cast.manager_a)
    assert added.deviation == deviation and added.uploaded_by == cast.manager_a


# -- access -------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(cast, client, media):
    deviation = file_report(cast)
    item = attachments.add_attachment(
        deviation, SimpleUploadedFile("foto.png", PNG), actor=cast.same_unit
    )
    urls = [
        reverse("deviations:report"),
        reverse("deviations:report_unit", kwargs={"unit_pk": cast.unit_a.pk}),
        reverse("deviations:received", kwargs={"pk": deviation.pk}),
        reverse("deviations:mine"),
        reverse("deviations:mine_detail", kwargs={"pk": deviation.pk}),
        reverse("deviations:unit_link", kwargs={"unit_pk": cast.unit_a.pk}),
        reverse("deviations:unit_qr", kwargs={"unit_pk": cast.unit_a.pk}),
        reverse("deviations:attachment", kwargs={"pk": item.pk}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_the_outsider_may_not_report(cast, login):
    client = login(cast.outsider)
    assert client.get(reverse("deviations:report")).status_code == 403
    assert client.get(reverse("deviations:mine")).status_code == 403
    assert client.post(reverse("deviations:report"), form_data(cast)).status_code == 403
    assert Deviation.objects.count() == 0
