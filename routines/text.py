"""The text of a routine: safe HTML from the editor, plain text for search and comparison, and
the words of an uploaded PDF or Word document.

Users never get raw HTML through: `sanitise` keeps only the tags of the editor (nh3, an
allow-list), so a script, an event handler or a style cannot reach another reader's browser.
"""

import io
import re
from html.parser import HTMLParser

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import documents
from core.pin import find_personal_numbers
from core.uploads import max_upload_bytes, upload_size

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "u",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Links may only lead to web pages and mail addresses: no javascript:, data: or file: URLs.
URL_SCHEMES = {"http", "https", "mailto"}
BLOCK_TAGS = {
    "p",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "table",
    "tr",
    "caption",
    "div",
}
MAX_UPLOAD_SIZE = max_upload_bytes("routine_document")  # core/data/document_limits.json
DOCX_MAIN_PART = "word/document.xml"
_TAG_NAMES = "|".join(sorted(ALLOWED_TAGS | {"div", "span", "b", "i", "script", "style", "img"}))
# Text without block tags is plain typing: its blank lines and line breaks are the layout.
STRAY_LT = re.compile(r"<(?!/?(?:" + _TAG_NAMES + r")\b)", re.I)
BLOCK_START = re.compile(r"<\s*(?:p|h[1-6]|ul|ol|table|blockquote|div)\b", re.I)


def sanitise(html):
    """The editor's HTML with everything outside the allow-list removed.

    Plain text without any tags is turned into paragraphs (a blank line starts a new one, a
    single line break is kept), so a routine typed without formatting still reads as written.
    """
    html = (html or "").strip()
    if not html:
        return ""
    if not BLOCK_START.search(html):
        html = _paragraphs(html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return cleaned.strip()


def _paragraphs(text):
    """Blank lines start paragraphs, line breaks are kept; a "<" that starts no tag is text."""
    text = STRAY_LT.sub("&lt;", text)
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    return "".join("<p>" + b.replace("\n", "<br>") + "</p>" for b in blocks)


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.parts.append("\n• ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html):
    """The words of the HTML, one block (paragraph, heading, list item, table row) a line."""
    parser = _TextParser()
    parser.feed(html or "")
    parser.close()
    return tidy("".join(parser.parts))


def tidy(text):
    """Spaces collapsed within lines, no empty lines, no blanks at the ends."""
    lines = (" ".join(line.split()) for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


# -- uploaded documents ---------------------------------------------------------------------


def document_kind(head, data=None):
    """ "pdf", "docx" or None, from the file's content (never from its name alone)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and data is not None:
        # The part's name as stored in the archive's headers: the archive itself is opened
        # only by core/documents.py, after its size checks.
        return "docx" if DOCX_MAIN_PART.encode() in data else None
    return None


def read_upload(file, name):
    """The bytes of an uploaded file after the size check."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("“%(name)s” is larger than %(size)s. Choose a smaller file.")
            % {"name": name, "size": upload_size("routine_document")},
            code="file_size",
        )
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_UPLOAD_SIZE + 1)
    if hasattr(file, "seek"):
        file.seek(0)
    if len(data) > MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("“%(name)s” is larger than %(size)s. Choose a smaller file.")
            % {"name": name, "size": upload_size("routine_document")},
            code="file_size",
        )
    return data


def extract_text(file, name):
    """The text of an uploaded PDF or Word (.docx) document, for search and comparison.

    The kind is read from the content: a renamed file of another kind is refused, as is a
    document that cannot be read or holds no text (a scanned image without a text layer).
    """
    data = read_upload(file, name)
    kind = document_kind(data[:8], data)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is neither a PDF nor a Word document (.docx). Choose another file.")
            % {"name": name},
            code="file_type",
        )
    # Bombs, entities, macros and scripts are refused before a parser sees the bytes.
    if kind == "pdf":
        reader = documents.check_pdf(data, name)
    else:
        documents.check_docx(data, name)
    try:
        text = _pdf_text(reader) if kind == "pdf" else _docx_text(data)
    except Exception as error:  # noqa: BLE001  (any parser failure means an unreadable file)
        raise ValidationError(
            _("“%(name)s” could not be read. Is it damaged or password protected?")
            % {"name": name},
            code="file_unreadable",
        ) from error
    text = tidy(text)
    if not text:
        raise ValidationError(
            _(
                "“%(name)s” contains no readable text (perhaps a scanned image). Upload a "
                "document with a text layer, or write the routine in Hjulet."
            )
            % {"name": name},
            code="file_empty",
        )
    text = documents.check_text_length(text, name)
    # Every staff member in scope reads a routine: a person's identity number has no place there.
    if find_personal_numbers(text):
        raise ValidationError(
            _(
                "“%(name)s” seems to contain a personal identity number. Everyone the routine "
                "applies to reads it: remove the number from the document and upload it again."
            )
            % {"name": name},
            code="personal_number",
        )
    return text


def _pdf_text(reader):
    """Page by page, stopping once past the length limit (pypdf caps each stream itself)."""
    parts, length = [], 0
    maximum = documents.limits()["text_max_characters"]
    for page in reader.pages:
        parts.append(page.extract_text() or "")
        length += len(parts[-1])
        if length > maximum:
            break
    return "\n".join(parts)


def _docx_text(data):
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = []
    # Paragraphs and tables in the order of the document body.
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append("".join(node.text or "" for node in block.iter() if _is_text(node)))
        elif tag == "tbl":
            for row in block.iter(_qn("w:tr")):
                cells = []
                for cell in row.iter(_qn("w:tc")):
                    words = "".join(node.text or "" for node in cell.iter() if _is_text(node))
                    cells.append(words.strip())
                parts.append(" ".join(c for c in cells if c))
    return "\n".join(parts)


def _qn(name):
    from docx.oxml.ns import qn

    return qn(name)


def _is_text(node):
    return node.tag == _qn("w:t")
