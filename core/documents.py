"""The one gate every uploaded document passes before anything parses it.

A Word or Excel file is a zip archive of XML; a small archive can unpack to gigabytes (a 1.3 MB
.docx held 400 MB of XML and took 7 GB of memory to read), and XML can define entities that
expand without end. A PDF can carry scripts and actions that start programs on the reader's
computer; an Office file can carry macros and programs. So, before a parser sees the bytes:

- an archive is measured from its directory: member count, size of each member, total size and
  compression ratio (the limits are data, `core/data/document_limits.json`);
- every XML part is read (never more than its declared size) and refused if it has a document
  type definition, which Word and Excel never write; the parsers that follow (python-docx with
  `resolve_entities=False`, openpyxl through defusedxml) therefore never meet an entity, and the
  XML Hjulet reads itself goes through defusedxml;
- macros, ActiveX controls and embedded programs are refused;
- a PDF with JavaScript, launch actions, automatic actions or attached files is refused;
- an image is decoded whole, within a pixel limit, to prove it is the image its name says;
- extracted text is limited in length, so no document becomes a page of many megabytes.

Every refusal is a ValidationError with a Swedish message naming the file.
"""

import io
import json
import re
import warnings
import zipfile
from functools import cache
from pathlib import Path

from defusedxml import ElementTree as SafeXML
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LIMITS_FILE = Path(__file__).resolve().parent / "data" / "document_limits.json"
# A member this small may compress well without being a bomb (an empty table of zeros).
RATIO_FLOOR = 1024 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
CHUNK = 1024 * 1024
# Names that only macros, ActiveX controls and embedded programs have inside an Office file.
ACTIVE_MEMBER = re.compile(
    r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX\d*\.(bin|xml))$"
    r"|(^|/)activeX/"
    r"|(^|/)oleObject\d*\.bin$"
    r"|\.(exe|dll|com|scr|bat|cmd|vbs|vbe|js|jse|wsf|hta|cpl|msi|ps1|jar|lnk|docm|xlsm|pptm)$",
    re.I,
)
MACRO_CONTENT_TYPE = re.compile(r"macroEnabled|vbaProject|activeX|oleObject", re.I)
CONTENT_TYPES = "[Content_Types].xml"
# PDF names that run code or open other files. pypdf resolves escaped names (/J#61vaScript) and
# objects packed in object streams; the byte scan catches what a damaged file hides from it.
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/AA", "/EmbeddedFile", "/EmbeddedFiles"}
PDF_ACTIVE_KEYS |= {"/RichMedia", "/XFA"}
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/RichMediaExecute"}
PDF_ACTIVE_BYTES = re.compile(rb"/(JavaScript|Launch|EmbeddedFiles?)\b")
IMAGE_FORMATS = {"jpeg": "JPEG", "png": "PNG"}


@cache
def limits():
    return json.loads(LIMITS_FILE.read_text(encoding="utf-8"))


def refuse(message, name, code, **values):
    raise ValidationError(message % {"name": name, **values}, code=code)


def _too_big(name):
    refuse(
        _(
            "“%(name)s” unpacks to far more data than an ordinary document. It cannot be used: "
            "save it again from Word or Excel, or choose another file."
        ),
        name,
        "document_size",
    )


def _unreadable(name):
    refuse(
        _("“%(name)s” could not be read. Is it damaged or password protected?"),
        name,
        "file_unreadable",
    )


# -- Word and Excel (Office Open XML) --------------------------------------------------------


def check_ooxml(data, name, main_part):
    """Measure, then read, an Office file's archive; refuse bombs, DTDs, macros and programs.

    `main_part` is the part every file of the kind has (word/document.xml, xl/workbook.xml).
    """
    limit = limits()
    # The member count from the end record, before zipfile builds an object per member.
    end = data.rfind(b"PK\x05\x06", -65557)
    if end >= 0 and int.from_bytes(data[end + 10 : end + 12], "little") > limit["zip_max_members"]:
        _too_big(name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        _unreadable(name)
    with archive:
        members = archive.infolist()
        if len(members) > limit["zip_max_members"]:
            _too_big(name)
        total = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members)
        if total > limit["zip_max_total_size"]:
            _too_big(name)
        if total > RATIO_FLOOR and total > packed * limit["zip_max_ratio"]:
            _too_big(name)
        for member in members:
            _check_member(member, name, limit)
        names = {m.filename for m in members}
        if main_part not in names:
            _unreadable(name)
        if any(ACTIVE_MEMBER.search(n) for n in names):
            _active_office(name)
        try:
            for member in members:
                if member.filename.lower().endswith(XML_SUFFIXES):
                    _check_xml(archive, member, name)
            if CONTENT_TYPES in names:
                _check_content_types(archive.read(CONTENT_TYPES), name)
            for member in members:
                if not member.filename.lower().endswith(XML_SUFFIXES) and _is_program(
                    archive, member
                ):
                    _active_office(name)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, OSError, EOFError):
            # A wrong checksum (a member longer than its directory says), an encrypted member.
            _unreadable(name)


def _check_member(member, name, limit):
    if member.flag_bits & 0x1:
        _unreadable(name)  # encrypted
    if member.file_size > limit["zip_max_member_size"]:
        _too_big(name)
    size = member.file_size
    if size > RATIO_FLOOR and size > max(member.compress_size, 1) * limit["zip_max_ratio"]:
        _too_big(name)


def _check_xml(archive, member, name):
    """Read the part in chunks (zipfile never returns more than the declared size)."""
    tail = b""
    with archive.open(member) as stream:
        first = stream.read(CHUNK)
        wide = first[:2] in (b"\xff\xfe", b"\xfe\xff")
        chunk = first
        while chunk:
            window = tail + chunk
            if wide:
                window = window.replace(b"\x00", b"")
            if any(marker in window for marker in DTD_MARKERS):
                refuse(
                    _(
                        "“%(name)s” contains hidden definitions that ordinary Word and Excel "
                        "files do not have. Save it again from Word or Excel and try again."
                    ),
                    name,
                    "document_dtd",
                )
            tail = chunk[-32:]
            chunk = stream.read(CHUNK)


def _check_content_types(xml, name):
    try:
        root = SafeXML.fromstring(xml)
    except Exception:  # noqa: BLE001  (defusedxml refuses entities; any failure: unreadable)
        _unreadable(name)
    for element in root.iter():
        if MACRO_CONTENT_TYPE.search(element.get("ContentType", "")):
            _active_office(name)


def _is_program(archive, member):
    """A Windows program hides behind any name (printer settings are .bin files too, so the
    name alone says nothing); an OLE package, which can wrap one, in the embeddings folder."""
    with archive.open(member) as stream:
        head = stream.read(8)
    if head.startswith(b"MZ"):
        return True
    embedded = "/embeddings/" in f"/{member.filename}"
    return embedded and head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _active_office(name):
    refuse(
        _(
            "“%(name)s” contains macros or embedded programs. Such files cannot be used: save "
            "it as an ordinary document without macros or embedded objects and try again."
        ),
        name,
        "document_active",
    )


def check_docx(data, name):
    check_ooxml(data, name, "word/document.xml")


def check_xlsx(data, name):
    check_ooxml(data, name, "xl/workbook.xml")


# -- PDF -------------------------------------------------------------------------------------


def check_pdf(data, name):
    """Refuse a PDF that runs scripts, starts programs or carries files; return its reader."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, IndirectObject

    if PDF_ACTIVE_BYTES.search(data):
        _active_pdf(name)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _unreadable(name)
        if len(reader.pages) > limits()["pdf_max_pages"]:
            refuse(
                _("“%(name)s” has more than %(max)s pages. Split it into several documents."),
                name,
                "document_pages",
                max=limits()["pdf_max_pages"],
            )
        numbers = {(n, g) for g, table in reader.xref.items() for n in table}
        numbers |= {(n, 0) for n in reader.xref_objStm}
        objects = [reader.trailer] + [
            reader.get_object(IndirectObject(n, g, reader)) for n, g in sorted(numbers)
        ]
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001  (any parser failure means an unreadable file)
        _unreadable(name)
    for item in objects:
        if isinstance(item, DictionaryObject) and (
            PDF_ACTIVE_KEYS & set(item.keys()) or item.get("/S") in PDF_ACTIVE_ACTIONS
        ):
            _active_pdf(name)
    return reader


def _active_pdf(name):
    refuse(
        _(
            "“%(name)s” contains scripts, actions that open programs, or attached files. Such "
            "PDFs cannot be used: print it to a new PDF, or save it without them, and try again."
        ),
        name,
        "document_active",
    )


# -- images ----------------------------------------------------------------------------------


def check_image(data, name, kind):
    """Decode the whole image (`kind` "jpeg" or "png") within the pixel limit."""
    from PIL import Image

    maximum = limits()["image_max_pixels"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != IMAGE_FORMATS[kind]:
                    raise ValueError(image.format)
                width, height = image.size
                if width * height > maximum:
                    raise Image.DecompressionBombError(name)
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        refuse(
            _(
                "“%(name)s” is an image of more than %(max)s megapixels. Take a new photo or "
                "make the image smaller."
            ),
            name,
            "image_size",
            max=maximum // 1_000_000,
        )
    except Exception:  # noqa: BLE001  (anything Pillow cannot decode is not an image)
        refuse(
            _("“%(name)s” is not a readable image. Choose another file or take a new photo."),
            name,
            "image_unreadable",
        )


# -- text ------------------------------------------------------------------------------------


def check_text_length(text, name):
    """Refuse extracted text longer than a routine can sensibly be."""
    maximum = limits()["text_max_characters"]
    if len(text) > maximum:
        refuse(
            _(
                "“%(name)s” holds more than %(max)s characters of text, far more than a routine. "
                "Split it into several documents."
            ),
            name,
            "document_text",
            max=f"{maximum:,}".replace(",", " "),
        )
    return text


def check_body_length(text):
    """The same limit for a routine written in Hjulet."""
    maximum = limits()["text_max_characters"]
    if len(text) > maximum:
        raise ValidationError(
            {
                "body": _(
                    "The text is longer than %(max)s characters, far more than a routine. "
                    "Split it into several routines."
                )
                % {"max": f"{maximum:,}".replace(",", " ")}
            },
            code="body_length",
        )
    return text
