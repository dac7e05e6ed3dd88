"""A yearly report as documents: Word for the board secretary to edit, and an accessible PDF
(tagged, PDF/UA: headings, tables as tables, the document's language and title). Both are made
from a snapshot (reports/services/decision.py `snapshot`): the current draft, or a published
version as the board approved it.

A table with a column of numbers is followed by a bar chart of it (reports/charts.py), an image
with a text alternative that states its numbers: in Word the picture's description, in the PDF
the figure's /Alt. The Word document is written into the organisation's own template where one
is uploaded (reports/word.py)."""

import io

from django.utils import translation
from django.utils.translation import gettext as _

from organisation.pdf import render_pdf, resource_url
from reports import word
from reports.charts import chart_of
from reports.models import Verdict
from reports.numbers import figure_text, is_number, number


def chapters_of(snapshot):
    """The chapters with the verdict to show: the owner's, else the rules' proposal."""
    found = []
    for chapter in snapshot["chapters"]:
        final = chapter.get("verdict") or chapter.get("proposed") or ""
        label = str(Verdict(final).label) if final in Verdict.values else ""
        parts = [
            {**part, "figures": [{**f, "shown": figure_text(f)} for f in part["figures"]]}
            for part in chapter["parts"]
        ]
        found.append({**chapter, "parts": parts, "final": final, "verdict_label": label})
    return found


def with_charts(chapters):
    """The chapters with each table's chart (None for a table without one); drawn here, for the
    documents only, never for the pages that show a report."""
    for chapter in chapters:
        for part in chapter["parts"]:
            part["tables"] = [{**t, "chart": chart_of(t)} for t in part["tables"]]
    return chapters


def _chart_images(chapters):
    """Each chart's image by the address the PDF's HTML names it by (`chart_src`)."""
    images = {}
    tables = (t for c in chapters for p in c["parts"] for t in p["tables"] if t["chart"])
    for index, table in enumerate(tables, 1):
        table["chart_src"] = resource_url(f"chart-{index}.jpg")
        images[table["chart_src"]] = (table["chart"].jpeg, "image/jpeg")
    return images


def render_report_pdf(snapshot, decision=None):
    with translation.override("sv"):
        chapters = with_charts(chapters_of(snapshot))
        images = _chart_images(chapters)
        context = {"snapshot": snapshot, "chapters": chapters, "decision": decision}
        return render_pdf(
            "reports/report_pdf.html", context, resources=images, pdf_variant="pdf/ua-1"
        )


def _table(doc, columns, rows, style):
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = style
    for cell, title in zip(table.rows[0].cells, columns, strict=True):
        cell.text = str(title)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = number(value) if is_number(value) else str(value)


def render_report_docx(snapshot, decision=None, template=None):
    """`template`: the bytes of the organisation's Word template (.docx or .dotx), or None."""
    with translation.override("sv"):
        doc, table_style = word.new_document(template)
        width = word.picture_width(doc)
        doc.core_properties.title = snapshot["title"]
        doc.core_properties.language = "sv-SE"
        doc.add_heading(snapshot["title"], level=0)
        if decision:
            doc.add_paragraph(decision)
        for chapter in with_charts(chapters_of(snapshot)):
            heading = chapter["title"]
            if chapter.get("citation"):
                heading += f" ({chapter['citation']})"
            doc.add_heading(heading, level=1)
            doc.add_heading(_("What the regulation asks"), level=2)
            doc.add_paragraph(chapter["asks"])
            for part in chapter["parts"]:
                doc.add_heading(part["heading"], level=2)
                if part["figures"]:
                    rows = [[f["label"], f["shown"]] for f in part["figures"]]
                    _table(doc, [_("Figure"), _("Value")], rows, table_style)
                for table in part["tables"]:
                    if table["rows"]:
                        doc.add_paragraph(table["caption"], style="Caption")
                        _table(doc, table["columns"], table["rows"], table_style)
                    if table.get("chart"):
                        chart = table["chart"]
                        word.add_picture(
                            doc, chart.png, title=chart.title, alt=chart.alt, width=width
                        )
            if chapter.get("narrative"):
                doc.add_heading(_("The chapter's text"), level=2)
                for paragraph in chapter["narrative"].split("\n\n"):
                    doc.add_paragraph(paragraph.strip())
            doc.add_heading(_("Verdict"), level=2)
            doc.add_paragraph(chapter["verdict_label"] or _("Not judged."))
            if chapter.get("verdict_reason"):
                reason = _("Reason")
                doc.add_paragraph(f"{reason}: {chapter['verdict_reason']}")
        buffer = io.BytesIO()
        doc.save(buffer)
    return buffer.getvalue()
