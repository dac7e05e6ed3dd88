"""The yearly report as documents (issue 13, point 4, first part): Word with headings and
tables the board secretary edits, and an accessible PDF (tagged, language and title set,
tables as tables), of the draft and of a published version with the board's decision."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from reports.models import Chapter
from reports.services import chapters as together
from reports.services import decision, writing
from tests.analysis_helpers import YEAR, new_report

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user, backend="accounts.backends.RoleBackend")
    return client


def _report(cast, django_capture_on_commit_callbacks):
    new_report(cast, cast.unit_a, 3)
    with django_capture_on_commit_callbacks(execute=True):
        report = writing.start_report(
            actor=cast.quality, kind="quality", scope=cast.unit_a.parent, year=YEAR
        )
    focus = Chapter.objects.get(report=report, code="focus")
    together.write_text(focus, actor=cast.quality, narrative="Rutinerna ska bli kända av alla.")
    return report


def test_the_draft_as_word_and_as_a_tagged_pdf(cast, django_capture_on_commit_callbacks):
    report = _report(cast, django_capture_on_commit_callbacks)
    client = _client(cast.quality)
    word = client.get(reverse("reports:export", args=[report.pk, "docx"]))
    assert word.status_code == 200 and word["Content-Type"].startswith("application/vnd.openxml")
    doc = Document(io.BytesIO(word.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.startswith("Avvikelser, lex Sarah") for h in headings)
    assert "Vad föreskrifterna kräver" in headings
    assert "Rutinerna ska bli kända av alla." in [p.text for p in doc.paragraphs]
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    assert "Rapporter" in cells and "1" in cells  # the one report of the year, as a table

    pdf = client.get(reverse("reports:export", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("sv")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert report.title in text and "Rutinerna ska bli kända av alla." in text
    assert client.get(reverse("reports:export", args=[report.pk, "odt"])).status_code == 404


def test_a_published_version_carries_the_decision(cast, django_capture_on_commit_callbacks):
    report = _report(cast, django_capture_on_commit_callbacks)
    decision.send_for_review(report, actor=cast.quality)
    version = decision.approve(
        report,
        actor=cast.quality,
        decision_body="Socialnämnden",
        decision_date=datetime.date(2026, 4, 25),
        paragraph="79",
        registry_number="SN 2023-511",
    )
    client = _client(cast.quality)
    url = reverse("reports:version_export", args=[report.pk, version.number, "docx"])
    doc = Document(io.BytesIO(client.get(url).content))
    assert any("SN 2023-511" in p.text and "§ 79" in p.text for p in doc.paragraphs)
    pdf_url = reverse("reports:version_export", args=[report.pk, version.number, "pdf"])
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(client.get(pdf_url).content)).pages
    )
    assert "SN 2023-511" in text
    for person in (cast.sibling, cast.outsider):
        assert _client(person).get(url).status_code in (403, 404)
        assert _client(person).get(
            reverse("reports:export", args=[report.pk, "pdf"])
        ).status_code in (
            403,
            404,
        )
