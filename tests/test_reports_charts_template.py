"""The yearly report as documents (issue 13, point 4, second part): a bar chart after each table
of numbers, an image whose text alternative states the numbers, in Word (the picture's
description and title) and in the tagged PDF (a Figure with /Alt); and the organisation's own
Word template, uploaded at a part of the organisation by someone who writes its reports, whose
styles, headers and page settings the report's Word document takes (the nearest template up
the tree wins)."""

import base64
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor
from PIL import Image
from pypdf import PdfReader

from audit.models import Event
from core.uploads import upload_size
from reports import charts
from reports.models import WordTemplate
from reports.services import word_templates, writing
from reports.services.decision import snapshot
from tests.analysis_helpers import YEAR, new_report

pytestmark = pytest.mark.django_db

DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
TOO_BIG = "“%(name)s” is larger than %(size)s. Choose a smaller file."
NOT_WORD = (
    "“%(name)s” is not a Word document. Save the template in Word as a Word document (.docx) "
    "or a Word template (.dotx) and upload it again."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _client(user):
    client = Client()
    client.force_login(user, backend="accounts.backends.RoleBackend")
    return client


def _report(cast, django_capture_on_commit_callbacks):
    """The department's quality report of the year: three deviation reports at unit A."""
    for month in (2, 3, 4):
        new_report(cast, cast.unit_a, month)
    with django_capture_on_commit_callbacks(execute=True):
        return writing.start_report(
            actor=cast.quality, kind="quality", scope=cast.unit_a.parent, year=YEAR
        )


def _expected_charts(report):
    """The alt text of every chart the report's tables give, in the document's order."""
    with translation.override("sv"):
        return [
            chart.alt
            for chapter in snapshot(report)["chapters"]
            for part in chapter["parts"]
            for table in part["tables"]
            if (chart := charts.chart_of(table)) is not None
        ]


def _template(heading_font="Georgia", colour="C00000", **changes):
    """A Word template made as a municipality would: its own Heading 1, a header, a sample
    table in its own style, landscape pages, and some text of its own."""
    doc = Document()
    heading = doc.styles["Heading 1"]
    heading.font.name = heading_font
    heading.font.color.rgb = RGBColor.from_string(colour)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.header.paragraphs[0].text = "Socialnämnden i Exempelstad"
    doc.add_paragraph("Mallens egen text, som inte hör till berättelsen.")
    table = doc.add_table(rows=1, cols=2)
    table.style = changes.get("table_style", "Light Grid Accent 1")
    for name in changes.get("drop_styles", ()):
        doc.styles.element.remove(doc.styles[name].element)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _as_dotx(data):
    """The same document saved as a Word template (.dotx): only the main part's type differs."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "[Content_Types].xml":
                content = content.replace(
                    b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
                )
            target.writestr(member, content)
    return out.getvalue()


def _upload(client, node, data, name="mall.docx"):
    return client.post(
        reverse("reports:word_template", args=[node.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def _word(client, report):
    response = client.get(reverse("reports:export", args=[report.pk, "docx"]))
    assert response.status_code == 200
    return Document(io.BytesIO(response.content))


# -- charts ----------------------------------------------------------------------------------


def test_a_chart_is_drawn_of_a_table_of_numbers_only():
    table = {
        "caption": "Avvikelser per enhet",
        "columns": ["Enhet", "Anteckning", "Rapporter"],
        "rows": [["Hemtjänst Norr", "ny", 1234], ["Äldreboendet Åsen", "", 12.5]],
    }
    labels = ["Hemtjänst Norr", "Äldreboendet Åsen"]
    with translation.override("sv"):
        chart = charts.chart_of(table)
        expected = charts.alt_text("Avvikelser per enhet", "Rapporter", labels, [1234, 12.5])
        assert chart.title == "Avvikelser per enhet (Rapporter)"
    assert charts.numeric_column(table) == 2  # the column of text is passed over
    assert chart.alt == expected
    # Swedish numbers: a space between thousands, a decimal comma; every row named.
    assert "Hemtjänst Norr: 1\xa0234" in chart.alt and "Äldreboendet Åsen: 12,5" in chart.alt
    image = Image.open(io.BytesIO(chart.png))
    assert image.format == "PNG" and image.width == charts.WIDTH
    assert Image.open(io.BytesIO(chart.jpeg)).format == "JPEG"

    one_row = {**table, "rows": table["rows"][:1]}
    words = {**table, "columns": ["Enhet", "Anteckning"], "rows": [["A", "x"], ["B", "y"]]}
    many = {**table, "rows": [[f"Enhet {i}", "", i] for i in range(charts.MAX_BARS + 1)]}
    zeros = {**table, "rows": [["A", "", 0], ["B", "", 0]]}
    for without in (one_row, words, many, zeros):
        assert charts.chart_of(without) is None


def test_table_cells_write_numbers_as_the_charts_do():
    """The page, the PDF and the Word tables write 1 234 and 12,5, as the charts' texts."""
    from reports.exports import _table
    from reports.templatetags.reports_tags import cell

    with translation.override("sv"):
        assert cell(1234) == "1\xa0234" and cell(12.5) == "12,5" and cell("Norr") == "Norr"
        doc = Document()
        _table(doc, ["Enhet", "Rapporter"], [["Norr", 60619]], "Table Grid")
    assert doc.tables[0].rows[1].cells[1].text == "60\xa0619"


def test_word_has_each_chart_as_a_picture_after_its_table_with_its_numbers(
    cast, django_capture_on_commit_callbacks
):
    report = _report(cast, django_capture_on_commit_callbacks)
    expected = _expected_charts(report)
    assert any("Enhet A: 3" in alt for alt in expected)  # the reports per unit

    doc = _word(_client(cast.quality), report)
    properties = list(doc.element.body.iter(f"{DRAWING}docPr"))
    assert [p.get("descr") for p in properties] == expected
    assert all(p.get("title") for p in properties)
    assert len(doc.inline_shapes) == len(expected)
    for shape in doc.inline_shapes:
        # The picture follows the table it draws; the table stays a table.
        paragraph = shape._inline.getparent().getparent().getparent()
        assert paragraph.getprevious().tag == qn("w:tbl")
        image = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
        assert Image.open(io.BytesIO(image.blob)).format == "PNG"


def test_the_pdf_tags_each_chart_as_a_figure_with_its_numbers(
    cast, django_capture_on_commit_callbacks
):
    report = _report(cast, django_capture_on_commit_callbacks)
    expected = _expected_charts(report)
    pdf = _client(cast.quality).get(reverse("reports:export", args=[report.pk, "pdf"]))
    reader = PdfReader(io.BytesIO(pdf.content))
    found = {"/Figure": [], "/Table": []}

    def walk(node):
        node = node.get_object()
        kind = node.get("/S")
        if kind in found:
            found[kind].append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            if kid is not None and hasattr(kid.get_object(), "get"):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert [str(figure["/Alt"]) for figure in found["/Figure"]] == expected
    assert len(found["/Table"]) > len(expected)  # the tables stay tables beside their charts


# -- the organisation's Word template --------------------------------------------------------


def test_the_report_takes_the_styles_header_and_pages_of_the_template(
    cast, django_capture_on_commit_callbacks
):
    report = _report(cast, django_capture_on_commit_callbacks)
    client = _client(cast.quality)
    response = _upload(client, cast.administration, _template())
    assert response.status_code == 302

    doc = _word(client, report)
    assert doc.styles["Heading 1"].font.name == "Georgia"
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor.from_string("C00000")
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert any(p.text.startswith("Avvikelser, lex Sarah") for p in headings)
    assert doc.sections[-1].header.paragraphs[0].text == "Socialnämnden i Exempelstad"
    assert doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    texts = [p.text for p in doc.paragraphs]
    assert "Mallens egen text, som inte hör till berättelsen." not in texts
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text == report.title
    assert {t.style.name for t in doc.tables} == {"Light Grid Accent 1"}
    assert any(p.style.name == "Caption" for p in doc.paragraphs)
    assert len(doc.inline_shapes) == len(_expected_charts(report))

    template = WordTemplate.objects.get(node=cast.administration)
    assert template.name == "mall.docx" and template.uploaded_by == cast.quality
    assert Event.objects.filter(
        object_id=str(cast.administration.pk), verb="report.word_template_set"
    ).exists()


def test_a_template_without_some_styles_or_saved_as_dotx_still_serves(
    cast, django_capture_on_commit_callbacks
):
    report = _report(cast, django_capture_on_commit_callbacks)
    client = _client(cast.quality)
    bare = _template(heading_font="Verdana", drop_styles=("Caption", "Heading 2", "Table Grid"))
    assert _upload(client, cast.administration, _as_dotx(bare), "mall.dotx").status_code == 302
    doc = _word(client, report)
    assert doc.styles["Heading 1"].font.name == "Verdana"
    # Added in python-docx's plain form, so the report's captions and subheadings have theirs.
    assert any(p.style.name == "Caption" for p in doc.paragraphs)
    assert any(p.style.name == "Heading 2" for p in doc.paragraphs)
    download = client.get(reverse("reports:word_template_file", args=[cast.administration.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == _as_dotx(bare)


def test_the_nearest_template_up_the_tree_wins(cast, django_capture_on_commit_callbacks):
    report = _report(cast, django_capture_on_commit_callbacks)  # of the department
    municipality = _client(cast.admin)
    ours = _template("Garamond")
    assert _upload(municipality, cast.board, ours, "kommunens mall.docx").status_code == 302
    quality = _client(cast.quality)
    assert _upload(quality, cast.administration, _template("Georgia")).status_code == 302
    assert _upload(quality, cast.unit_a, _template("Courier New")).status_code == 302

    assert word_templates.template_for(cast.dept).node == cast.administration
    assert word_templates.template_for(cast.unit_a).node == cast.unit_a
    assert word_templates.template_for(cast.unit_b).node == cast.administration
    assert word_templates.template_for(cast.other_root_node) is None
    assert _word(quality, report).styles["Heading 1"].font.name == "Georgia"

    # Replaced: the new file serves, the old one is gone once the change is committed.
    old = WordTemplate.objects.get(node=cast.administration).file.name
    with django_capture_on_commit_callbacks(execute=True):
        _upload(quality, cast.administration, _template("Palatino"), "ny mall.docx")
    assert _word(quality, report).styles["Heading 1"].font.name == "Palatino"
    assert not WordTemplate.objects.get(node=cast.administration).file.storage.exists(old)

    # Removed: the municipality's template serves.
    with django_capture_on_commit_callbacks(execute=True):
        removed = quality.post(
            reverse("reports:word_template_remove", args=[cast.administration.pk])
        )
    assert removed.status_code == 302
    assert not WordTemplate.objects.filter(node=cast.administration).exists()
    assert _word(quality, report).styles["Heading 1"].font.name == "Garamond"
    verbs = list(
        Event.objects.filter(object_id=str(cast.administration.pk), verb__contains="word_template")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "report.word_template_set",
        "report.word_template_replaced",
        "report.word_template_removed",
    ]
    page = quality.get(reverse("reports:word_template", args=[cast.administration.pk]))
    assert "kommunens mall.docx" in page.content.decode()  # whose template serves now


def _zip_without_word():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data",
    [
        ("mall.docx", "Det här är ingen Word-fil.".encode()),
        ("mall.docx", _zip_without_word()),
        ("mall.pdf", b"%PDF-1.7\n"),
    ],
)
def test_a_file_that_is_not_word_is_refused_and_nothing_kept(cast, media, name, data):
    client = _client(cast.quality)
    assert _upload(client, cast.administration, _template("Georgia")).status_code == 302
    kept = WordTemplate.objects.get(node=cast.administration)
    events = Event.objects.count()

    response = _upload(client, cast.administration, data, name)
    assert response.status_code == 200
    with translation.override("sv"):
        message = translation.gettext(NOT_WORD) % {"name": name}
    page = response.content.decode()
    assert message.replace("“", "&ldquo;") in page or message in page
    assert 'id="word-template-form"' in page and "error-summary" in page
    # The template it had is kept as it was; nothing recorded.
    assert WordTemplate.objects.get(node=cast.administration).file.name == kept.file.name
    assert WordTemplate.objects.count() == 1 and Event.objects.count() == events
    assert len(list(media.rglob("*.*"))) == 1


def test_a_template_over_the_size_limit_is_refused(cast, monkeypatch):
    monkeypatch.setattr(word_templates, "MAX_SIZE", 1000)
    response = _upload(_client(cast.quality), cast.administration, _template())
    with translation.override("sv"):
        message = translation.gettext(TOO_BIG) % {
            "name": "mall.docx",
            "size": upload_size("report_template"),
        }
    assert response.status_code == 200 and message in response.content.decode()
    assert not WordTemplate.objects.exists()


def test_only_who_writes_the_reports_there_may_change_its_template(cast):
    data = _template()
    # Staff of unit B hold no reports.write anywhere; the unit manager of A not above A.
    sibling = _client(cast.sibling)
    assert sibling.get(reverse("reports:word_templates")).status_code == 403
    assert _upload(sibling, cast.unit_a, data).status_code in (403, 404)
    manager = _client(cast.manager_a)
    assert manager.get(reverse("reports:word_template", args=[cast.dept.pk])).status_code == 404
    assert _upload(manager, cast.dept, data).status_code == 404
    assert _upload(manager, cast.unit_b, data).status_code == 404
    assert not WordTemplate.objects.exists()
    assert _upload(manager, cast.unit_a, data).status_code == 302
    for path in ("reports:word_template", "reports:word_template_file"):
        url = reverse(path, args=[cast.unit_a.pk])
        assert _client(cast.parent_manager).get(url).status_code == 200
        assert _client(cast.sibling).get(url).status_code in (403, 404)
    removal = reverse("reports:word_template_remove", args=[cast.unit_a.pk])
    assert _client(cast.log_reviewer).post(removal).status_code in (403, 404)
    assert WordTemplate.objects.filter(node=cast.unit_a).exists()


def test_the_templates_are_reached_from_the_list_by_who_may_change_them(cast):
    link = reverse("reports:word_templates")
    assert link in _client(cast.quality).get(reverse("reports:list")).content.decode()
    # The quality auditor reads the reports and writes none: no link, and no page.
    auditor = _client(cast.log_reviewer)
    assert link not in auditor.get(reverse("reports:list")).content.decode()
    assert auditor.get(link).status_code == 403
    # The list page leads on to the chosen part's page, among those the person writes for.
    chosen = _client(cast.manager_a).get(link, {"node": cast.unit_a.pk})
    assert chosen.status_code == 302
    assert chosen["Location"] == reverse("reports:word_template", args=[cast.unit_a.pk])
    refused = _client(cast.manager_a).get(link, {"node": cast.dept.pk})
    assert refused.status_code == 200 and "error-summary" in refused.content.decode()
    # The municipality's template serves unit A's reports too: listed, but not to be changed.
    _upload(_client(cast.admin), cast.board, _template(), "kommunens mall.docx")
    listed = _client(cast.manager_a).get(link).content.decode()
    assert "kommunens mall.docx" in listed
    assert reverse("reports:word_template", args=[cast.board.pk]) not in listed
    assert reverse("reports:word_template", args=[cast.board.pk]) in (
        _client(cast.admin).get(link).content.decode()
    )


def test_the_pdf_writer_reads_only_the_images_it_is_given():
    """WeasyPrint 70 takes a fetcher object, no longer a function: the document's own images
    and data: URLs are read, any other address is refused with a warning, never a crash."""
    from weasyprint import HTML

    from organisation.pdf import BASE_URL, _weasyprint_fetcher, resource_url, url_fetcher

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    png = buffer.getvalue()
    data_url = "data:image/png;base64," + base64.b64encode(png).decode()
    assert url_fetcher(data_url)["string"] == png
    given = resource_url("chart-1.png")
    html = (
        f'<img src="{given}" alt="Given"><img src="{data_url}" alt="Data">'
        '<img src="http://169.254.169.254/latest/" alt="Refused">'
    )
    fetcher = _weasyprint_fetcher({given: (png, "image/png")})
    reader = PdfReader(
        io.BytesIO(HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf())
    )
    images = reader.pages[0]["/Resources"]["/XObject"]
    assert len(images) == 2


def _saved(doc):
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_the_tables_take_the_templates_table_style_else_its_own_else_table_grid():
    from docx.enum.style import WD_STYLE_TYPE

    from reports.word import new_document

    unstyled = Document()
    unstyled.add_table(rows=1, cols=1)  # no style of its own: the plain one has no borders
    assert new_document(_saved(unstyled))[1] == "Table Grid"
    own = Document()
    own.styles.add_style("Kommunens tabell", WD_STYLE_TYPE.TABLE)
    assert new_document(_saved(own))[1] == "Kommunens tabell"
    own.add_table(rows=1, cols=1).style = "Light List Accent 2"
    doc, style = new_document(_saved(own))
    assert style == "Light List Accent 2" and doc.tables == []  # the sample table is gone
