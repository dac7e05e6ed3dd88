"""Reading the index of an import: an XLSX workbook or a CSV file whose header row names the
columns in Swedish (docs/rutiner-import.md lists them), and the cell values it may hold.

The column names are the file format organisations prepare, so they are Swedish data here, not
interface text. A header matches regardless of case, of "_" or "-" for a space, of a trailing
"*" and of a bracketed note ("Granskningsintervall (månader)").
"""

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import documents
from core.uploads import megabytes

MAX_INDEX_SIZE = 2 * 1024 * 1024
MAX_ROWS = 200

# field → (required, the headers accepted for it; the first is the one the template uses)
COLUMNS = {
    "file": (True, ("filnamn", "fil", "filename", "dokument")),
    "title": (True, ("titel", "rubrik", "rutinens namn")),
    "unit": (True, ("enhet", "organisationsenhet", "enhetskod")),
    "owner": (True, ("ägare", "agare", "rutinägare", "ansvarig")),
    "roles": (False, ("roller", "roll", "målgrupp")),
    "legal": (False, ("lagrum", "lagrumshänvisning", "lagrumshänvisningar", "lagstöd")),
    "interval": (
        False,
        ("granskningsintervall", "revideringsintervall", "granskningsintervall månader"),
    ),
    "approved_as": (False, ("fastställd av", "beslutad av")),
    "approved_on": (False, ("fastställd datum", "fastställd", "fastställd den", "beslutsdatum")),
    "effective_from": (False, ("gäller från", "giltig från", "gäller fr o m", "gäller fr.o.m.")),
    "acknowledge": (False, ("kvittens", "läskvittens")),
}
TEMPLATE_HEADERS = {
    "file": "filnamn",
    "title": "titel",
    "unit": "enhet",
    "owner": "ägare",
    "roles": "roller",
    "legal": "lagrum",
    "interval": "granskningsintervall",
    "approved_as": "fastställd_av",
    "approved_on": "fastställd_datum",
    "effective_from": "gäller_från",
    "acknowledge": "kvittens",
}
YES = {"ja", "j", "yes", "y", "x", "1", "true", "sant"}
NO = {"nej", "n", "no", "0", "false", "falskt"}
DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y")


def header_key(text):
    text = unicodedata.normalize("NFC", str(text or "")).casefold()
    text = re.sub(r"\([^)]*\)", " ", text).replace("*", " ")
    text = re.sub(r"[_\-]", " ", text)
    return " ".join(text.split())


HEADER_FIELDS = {
    header_key(alias): name for name, (_required, aliases) in COLUMNS.items() for alias in aliases
}


@dataclass
class Index:
    name: str
    rows: list = field(default_factory=list)  # (row number as the user sees it, {field: value})
    ignored_columns: list = field(default_factory=list)


def read_index(file, name):
    """The rows of the index; a ValidationError (Swedish) when the file cannot be used at all."""
    if getattr(file, "size", 0) > MAX_INDEX_SIZE:
        raise ValidationError(
            _("The index file is larger than %(size)s. An index holds one row per document.")
            % {"size": megabytes(MAX_INDEX_SIZE)},
            code="index_size",
        )
    file.seek(0)
    data = file.read(MAX_INDEX_SIZE + 1)
    file.seek(0)
    lower = name.lower()
    if lower.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            _("The index is an old Excel file (.xls). Save it as .xlsx or CSV and try again."),
            code="index_type",
        )
    if data.startswith(b"PK\x03\x04"):
        # Bombs, entities and macros are refused before openpyxl sees the workbook.
        documents.check_xlsx(data, name)
        table = _xlsx_rows(data)
    elif lower.endswith((".csv", ".txt")):
        table = _csv_rows(data)
    else:
        raise ValidationError(
            _("The index must be an Excel workbook (.xlsx) or a CSV file."), code="index_type"
        )
    return _index(table, name)


def _xlsx_rows(data):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001  (any reader failure: not a usable workbook)
        raise ValidationError(
            _("The index could not be read as an Excel workbook (.xlsx)."), code="index_unreadable"
        ) from error
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(list(values))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def _csv_rows(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV (semikolonavgränsad)" in Windows-1252.
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [row for _n, row in zip(range(MAX_ROWS + 2), reader, strict=False)]
    except csv.Error as error:
        raise ValidationError(
            _("The index could not be read as CSV: %(error)s") % {"error": error},
            code="index_unreadable",
        ) from error


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _index(table, name):
    while table and all(_blank(v) for v in table[0]):
        table = table[1:]
    if not table:
        raise ValidationError(_("The index file is empty."), code="index_empty")
    header, body = table[0], table[1:]
    columns, ignored, seen = {}, [], {}
    for position, title in enumerate(header):
        if _blank(title):
            continue
        key = HEADER_FIELDS.get(header_key(title))
        if key is None:
            ignored.append(str(title).strip())
        elif key in seen:
            raise ValidationError(
                _("The columns “%(first)s” and “%(second)s” mean the same thing. Keep one.")
                % {"first": seen[key], "second": str(title).strip()},
                code="index_columns",
            )
        else:
            columns[position] = key
            seen[key] = str(title).strip()
    missing = [TEMPLATE_HEADERS[f] for f, (req, _a) in COLUMNS.items() if req and f not in seen]
    if missing:
        raise ValidationError(
            _(
                "The index lacks the column(s) %(missing)s. The first row must name the columns; "
                "download the example index to see them."
            )
            % {"missing": ", ".join(missing)},
            code="index_columns",
        )
    index = Index(name=name, ignored_columns=ignored)
    for offset, values in enumerate(body):
        if all(_blank(v) for v in values):
            continue
        if len(index.rows) >= MAX_ROWS:
            raise ValidationError(
                _("The index has more than %(max)s rows. Split it into several imports.")
                % {"max": MAX_ROWS},
                code="index_rows",
            )
        row = {key: values[pos] if pos < len(values) else None for pos, key in columns.items()}
        index.rows.append((offset + 2, row))
    if not index.rows:
        raise ValidationError(_("The index has a header row but no rows."), code="index_empty")
    return index


# -- cell values ----------------------------------------------------------------------------


def text_value(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def date_value(value):
    """A date from a cell: an Excel date, or text as 2024-03-15 (also 15/3/2024, 15.3.2024).

    Returns None for an empty cell; raises ValueError for anything else.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = text_value(value)
    if not text:
        return None
    # A date with a time ("2024-03-15 00:00:00") as some spreadsheets export it.
    day = text.split(" ", 1)[0].split("T", 1)[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(day, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def months_value(value):
    """Whole months between 1 and 60; None for an empty cell; ValueError otherwise."""
    text = text_value(value).lower().removesuffix("månader").removesuffix("mån").strip()
    if not text:
        return None
    number = float(text.replace(",", "."))
    if not number.is_integer() or not 1 <= number <= 60:
        raise ValueError(text)
    return int(number)


def yes_no_value(value):
    """True, False, or None for an empty cell; ValueError otherwise."""
    if isinstance(value, bool):
        return value
    text = text_value(value).casefold()
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(text)


def list_value(value):
    return [p.strip() for p in re.split(r"[,;\n]", text_value(value)) if p.strip()]


def file_name_value(value):
    """The file's own name: a path typed in the index ("Rutiner\\brand.pdf") is cut off."""
    return text_value(value).replace("\\", "/").rsplit("/", 1)[-1].strip()
