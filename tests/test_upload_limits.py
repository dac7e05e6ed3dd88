"""Every text that names an upload limit takes the number from the limit itself."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy

from core import documents
from core.uploads import MEGABYTE, SizeCheckedFileInput, megabytes, upload_size
from deviations.reporting import attachments
from deviations.reporting.forms import ReportForm
from routines.importing import index
from routines.importing.forms import ImportForm

ONE_AND_A_HALF = MEGABYTE * 3 // 2


@pytest.fixture
def edited_limits(tmp_path, monkeypatch):
    """The limits' data with attachments of at most 1.5 MB and routine documents of 3 MB."""
    data = json.loads(documents.LIMITS_FILE.read_text(encoding="utf-8"))
    data["upload_max_bytes"].update(attachment=ONE_AND_A_HALF, routine_document=3 * MEGABYTE)
    edited = tmp_path / "document_limits.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(documents, "LIMITS_FILE", edited)
    documents.limits.cache_clear()
    yield
    documents.limits.cache_clear()


def test_sizes_are_written_as_people_read_them():
    with translation.override("sv"):
        assert megabytes(10 * MEGABYTE) == "10 MB"
        assert megabytes(ONE_AND_A_HALF) == "1,5 MB"
        assert megabytes(200 * MEGABYTE) == "200 MB"
    with translation.override("en"):
        assert megabytes(ONE_AND_A_HALF) == "1.5 MB"


def test_the_help_texts_and_the_refusal_follow_an_edit_of_the_data(edited_limits, monkeypatch):
    with translation.override("sv"):
        assert upload_size("attachment") == "1,5 MB"
        help_text = str(ReportForm.base_fields["attachments"].help_text)
        assert "1,5 MB" in help_text and "10 MB" not in help_text
        help_text = str(ImportForm.base_fields["documents"].help_text)
        assert "3 MB" in help_text and "20 MB" not in help_text
        # The server reads the limit it checks once, when it starts; a restart follows an edit.
        monkeypatch.setattr(attachments, "MAX_ATTACHMENT_SIZE", ONE_AND_A_HALF)
        photo = SimpleUploadedFile("foto.pdf", b"%PDF-" + b"0" * ONE_AND_A_HALF)
        with pytest.raises(ValidationError) as refused:
            attachments.check_attachment(photo)
    message = refused.value.messages[0]
    assert "foto.pdf" in message and "1,5 MB" in message and "10 MB" not in message


def test_the_browser_sentence_names_the_limit_the_browser_checks():
    widget = SizeCheckedFileInput(
        max_bytes=3 * MEGABYTE,
        too_big=gettext_lazy("“%(name)s” is larger than %(size)s. Choose a smaller file."),
    )
    with translation.override("sv"):
        html = widget.render("file", None)
    sentence = re.search(r'data-too-big="([^"]*)"', html).group(1)
    assert 'data-max-bytes="3145728"' in html
    assert "3 MB" in sentence and "%(name)s" in sentence and "%(size)s" not in sentence


def test_the_index_refusal_names_its_own_limit(monkeypatch):
    monkeypatch.setattr(index, "MAX_INDEX_SIZE", MEGABYTE)
    big = SimpleUploadedFile("index.csv", b"x" * (MEGABYTE + 1))
    with translation.override("sv"), pytest.raises(ValidationError) as refused:
        index.read_index(big, "index.csv")
    assert "1 MB" in refused.value.messages[0] and "2 MB" not in refused.value.messages[0]
