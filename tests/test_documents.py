"""Every document Hjulet opens passes core/documents.py: bombs and active content are refused
with a message naming the file, through each door (attachments, routine uploads, the import)."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import documents
from deviations.reporting.attachments import check_attachment
from routines.importing.index import read_index
from routines.text import extract_text
from tests.fixtures.documents import make

# file name → (bytes maker, the refusal's code)
REFUSED_UPLOADS = {
    "zip-bomb.docx": (make.docx_zip_bomb, "document_size"),
    "billion-laughs.docx": (make.docx_billion_laughs, "document_dtd"),
    "macros.docx": (make.docx_with_macros, "document_active"),
    "program.docx": (make.docx_with_program, "document_active"),
    "exe.docx": (make.docx_with_exe, "document_active"),
    "javascript.pdf": (make.pdf_with_javascript, "document_active"),
    "hidden-javascript.pdf": (make.pdf_with_hidden_javascript, "document_active"),
    "launch.pdf": (make.pdf_with_launch, "document_active"),
}


def codes(error):
    return {e.code for e in error.value.error_list}


def upload(name, data):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("name", sorted(REFUSED_UPLOADS))
def test_a_routine_upload_refuses_each_bomb_quickly(name):
    maker, code = REFUSED_UPLOADS[name]
    data = maker()
    started = time.monotonic()
    with pytest.raises(ValidationError) as error:
        extract_text(upload(name, data), name)
    assert codes(error) == {code}
    assert name in error.value.messages[0]
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("name", sorted(REFUSED_UPLOADS))
def test_a_report_attachment_refuses_each_bomb(name):
    maker, code = REFUSED_UPLOADS[name]
    with pytest.raises(ValidationError) as error:
        check_attachment(upload(name, maker()))
    assert codes(error) == {code}


@pytest.mark.parametrize(
    "maker, code",
    [(make.fake_png, "image_unreadable"), (make.png_pixel_bomb, "image_size")],
)
def test_an_image_must_decode_within_the_pixel_limit(maker, code):
    with pytest.raises(ValidationError) as error:
        check_attachment(upload("foto.png", maker()))
    assert codes(error) == {code}
    assert "foto.png" in error.value.messages[0]


def test_ordinary_files_pass():
    check_attachment(upload("foto.png", make.png()))
    check_attachment(upload("rutin.docx", make.word()))
    check_attachment(upload("rutin.pdf", make.pdf_plain()))
    assert extract_text(upload("rutin.docx", make.word("Larma först")), "rutin.docx") == (
        "Larma först"
    )


def test_a_jpeg_named_png_is_refused():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "JPEG")
    with pytest.raises(ValidationError):
        documents.check_image(buffer.getvalue(), "foto.png", "png")


@pytest.mark.parametrize(
    "maker, code",
    [(make.xlsx_bomb, "document_size"), (make.xlsx_billion_laughs, "document_dtd")],
)
def test_the_import_index_refuses_workbook_bombs(maker, code):
    with pytest.raises(ValidationError) as error:
        read_index(upload("index.xlsx", maker()), "index.xlsx")
    assert codes(error) == {code}


def test_limits_are_data_and_the_ratio_counts(monkeypatch):
    documents.limits.cache_clear()
    monkeypatch.setitem(documents.limits(), "zip_max_ratio", 1)
    monkeypatch.setattr(documents, "RATIO_FLOOR", 0)
    with pytest.raises(ValidationError) as error:
        documents.check_docx(make.word(), "rutin.docx")
    assert codes(error) == {"document_size"}
    documents.limits.cache_clear()


def test_extracted_text_over_the_limit_is_refused_not_published(monkeypatch):
    monkeypatch.setitem(documents.limits(), "text_max_characters", 50)
    with pytest.raises(ValidationError) as error:
        extract_text(upload("lang.docx", make.word("ord " * 100)), "lang.docx")
    assert codes(error) == {"document_text"}
    with pytest.raises(ValidationError) as error:
        documents.check_body_length("x" * 51)
    assert "body" in error.value.message_dict


def test_an_archive_whose_parts_do_not_match_their_checksums_is_unreadable():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", make.BODY_START + b"Rutin" + make.BODY_END)
    broken = buffer.getvalue().replace(b"Rutin", b"Rutan")
    with pytest.raises(ValidationError) as error:
        documents.check_docx(broken, "rutin.docx")
    assert codes(error) == {"file_unreadable"}


def test_printer_settings_are_not_taken_for_programs():
    # Excel and Word store printer settings as .bin parts: an ordinary file must pass.
    data = make._replace(make.workbook(), {"xl/printerSettings/printerSettings1.bin": b"\0" * 64})
    documents.check_xlsx(data, "index.xlsx")
    program = make._replace(make.workbook(), {"xl/printerSettings/p.bin": b"MZ" + b"\0" * 64})
    with pytest.raises(ValidationError) as error:
        documents.check_xlsx(program, "index.xlsx")
    assert codes(error) == {"document_active"}


# -- through the forms: refused, and what was typed is kept -----------------------------------


def test_the_report_form_refuses_a_bomb_and_keeps_the_text(cast, login):
    import uuid

    from django.urls import reverse
    from django.utils import timezone

    from deviations.models import Deviation

    response = login(cast.same_unit).post(
        reverse("deviations:report"),
        {
            "unit": cast.unit_a.pk,
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "description": "Brukaren föll i hallen.",
            "immediate_action": "Ringde sjuksköterskan.",
            "service_user_affected": "yes",
            "submission_key": str(uuid.uuid4()),
            "attachments": upload("makron.docx", make.docx_with_macros()),
        },
    )
    assert response.status_code == 200 and Deviation.objects.count() == 0
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["attachments"]] == ["document_active"]
    assert "makron.docx" in response.content.decode()
    assert form["description"].value() == "Brukaren föll i hallen."


def test_the_routine_form_refuses_a_bomb_and_keeps_the_title(cast, login):
    import uuid

    from django.urls import reverse

    from routines.models import Routine

    response = login(cast.manager_a).post(
        reverse("routines:create"),
        {
            "unit": cast.unit_a.pk,
            "title": "Brandskydd",
            "owner": cast.manager_a.pk,
            "review_interval_months": 12,
            "form_token": str(uuid.uuid4()),
            "file": upload("bomb.docx", make.docx_zip_bomb()),
        },
    )
    assert response.status_code == 200 and not Routine.objects.exists()
    page = response.content.decode()
    assert "bomb.docx" in page and 'value="Brandskydd"' in page


def test_too_many_members_are_counted_before_the_archive_is_opened(monkeypatch):
    monkeypatch.setitem(documents.limits(), "zip_max_members", 3)
    with pytest.raises(ValidationError) as error:
        documents.check_docx(make.word(), "rutin.docx")
    assert codes(error) == {"document_size"}
