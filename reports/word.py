"""The Word document a yearly report is written into: the organisation's own template
(reports/models.py `WordTemplate`) or python-docx's plain one.

From a template the document keeps the styles, the headers and footers and the page settings
(size, margins) of its last section; the template's own text is removed. The report uses the
styles by their built-in names, which Word writes in English whatever the language of the
template ("heading 1" also in a Swedish Word, where the style is shown as "Rubrik 1"): Title,
Heading 1 and 2, Normal, Caption, and for tables the style of a table in the template, else a
table style the organisation made, else Table Grid. A built-in style the template lacks is
copied from python-docx's plain template, so any template works.

A Word template saved as .dotx differs from a document only in the content type of its main
part; it is read as a document.
"""

import copy
import io
import zipfile
from functools import cache

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm

CONTENT_TYPES = "[Content_Types].xml"
TEMPLATE_MAIN = b"wordprocessingml.template.main+xml"
DOCUMENT_MAIN = b"wordprocessingml.document.main+xml"
STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Caption", "Table Grid")
TABLE_GRID = "Table Grid"
# A chart at most as wide as the text of an A4 page with ordinary margins.
PICTURE_WIDTH = Cm(16)


def as_document(data):
    """The bytes of a .docx: a .dotx has its main part's content type changed, nothing else."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read(CONTENT_TYPES)
        if TEMPLATE_MAIN not in types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for member in source.infolist():
                content = source.read(member.filename)
                if member.filename == CONTENT_TYPES:
                    content = types.replace(TEMPLATE_MAIN, DOCUMENT_MAIN)
                target.writestr(member, content)
    return out.getvalue()


@cache
def _plain_styles():
    return Document().styles


def _style_ids(doc):
    return {s.get(qn("w:styleId")) for s in doc.styles.element.findall(qn("w:style"))}


def _add_missing_styles(doc):
    for name in STYLES:
        if name in doc.styles:
            continue
        element = copy.deepcopy(_plain_styles()[name].element)
        ids = _style_ids(doc)
        if element.get(qn("w:styleId")) in ids:
            element.set(qn("w:styleId"), "Hjulet" + name.replace(" ", ""))
        # A reference to a style the template does not have would point at nothing.
        for tag in ("w:basedOn", "w:next", "w:link"):
            for reference in element.findall(qn(tag)):
                if reference.get(qn("w:val")) not in ids:
                    element.remove(reference)
        doc.styles.element.append(element)


def _table_style(doc):
    """The style of the template's first table, else the first table style the organisation
    made itself, else None."""
    for table in doc.tables:
        # A table without a style of its own would give the plain one, without borders.
        if table._tbl.tblStyle_val and table.style is not None and table.style.name:
            return table.style.name
    for style in doc.styles:
        if style.type == WD_STYLE_TYPE.TABLE and style.element.get(qn("w:customStyle")) in (
            "1",
            "true",
        ):
            return style.name
    return None


def _empty_body(doc):
    """Remove the template's text; its last section's settings (page, headers, footers) stay."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def new_document(template=None):
    """A document to write the report into, and the name of the style of its tables."""
    if template is None:
        return Document(), TABLE_GRID
    doc = Document(io.BytesIO(as_document(template)))
    table_style = _table_style(doc)
    _empty_body(doc)
    _add_missing_styles(doc)
    return doc, table_style or TABLE_GRID


def picture_width(doc):
    section = doc.sections[-1]
    if section.page_width and section.left_margin is not None and section.right_margin is not None:
        text_width = section.page_width - section.left_margin - section.right_margin
        if text_width > 0:
            return min(PICTURE_WIDTH, text_width)
    return PICTURE_WIDTH


def add_picture(doc, png, *, title, alt, width):
    """An image in its own paragraph, with its text alternative where Word reads it (the
    picture's description, shown as "Alternativ text") and its title."""
    run = doc.add_paragraph().add_run()
    shape = run.add_picture(io.BytesIO(png), width=width)
    properties = shape._inline.docPr
    properties.set("descr", alt)
    properties.set("title", title)
    return shape
