"""The register as a spreadsheet (CSV and XLSX): the rows the person may see, nothing more.

Columns: reference, reported, occurred, unit, kind of event, status, tracks, seriousness, closed
and the description. The description is kept (a manager analysing the reports needs it, and
reporters are told not to write names or personal identity numbers in it); the protected identity
(`affected_person`) is never exported, whoever asks. The seriousness of a track is given only
for tracks the person may read (`Track.objects.readable_by`): a lex Sarah or lex Maria
judgement stays with its readers. No investigation details are exported at all.

Rows are built in chunks of CHUNK reports with a fixed number of queries per chunk, so the CSV
can be streamed without holding the whole register in memory. Each export writes ONE row to the
access log (see `log_export`), not one per exported report.
"""

import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.scoping import grants
from core.client_ip import client_ip
from core.csv import writer as csv_writer
from deviations.models import Deviation, DeviationStatus, Track
from legal.rules import TrackKind

CHUNK = 2000
# Spreadsheets are for reading, not for archives: larger sets are refused with a message.
XLSX_MAX_ROWS = 100_000
DATETIME_FORMAT = "%Y-%m-%d %H:%M"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TRACK_ORDER = {kind: i for i, kind in enumerate(TrackKind.values)}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int
    is_datetime: bool = False


def columns():
    """The columns, labelled in the active language (evaluated now, before streaming)."""
    return [
        Column("reference", pgettext("report number", "Reference"), 16),
        Column("reported_at", _("Reported"), 17, is_datetime=True),
        Column("occurred_at", _("When it happened"), 17, is_datetime=True),
        Column("unit", _("Unit"), 30),
        Column("category", _("Kind of event"), 24),
        Column("status", _("Status"), 26),
        Column("tracks", _("Tracks"), 30),
        Column("serious", _("Serious"), 30),
        Column("closed_at", _("Closed"), 17, is_datetime=True),
        Column("description", _("What happened"), 80),
    ]


class RegisterExport:
    """The rows of one export: the report ids are read at once, the rows chunk by chunk."""

    def __init__(self, user, deviations, limit=None):
        ids = deviations.values_list("pk", flat=True)
        self.ids = list(ids[:limit] if limit is not None else ids)
        # Evaluates the rule table and the person's reader roles once, not per chunk.
        self.readable = Track.objects.readable_by(user)
        self.columns = columns()
        self.statuses = {value: str(label) for value, label in DeviationStatus.choices}
        self.kinds = {value: str(label) for value, label in TrackKind.choices}
        self.verdicts = {True: _("yes"), False: _("no")}

    def __len__(self):
        return len(self.ids)

    def _tracks(self, chunk):
        # Two plain queries: as a correlated EXISTS the planner computes the whole readable set
        # for every chunk (seconds on a large register); filtered by the chunk it reads a few.
        readable = set(self.readable.filter(deviation_id__in=chunk).values_list("pk", flat=True))
        by_deviation = {}
        rows = Track.objects.filter(deviation_id__in=chunk).values_list(
            "pk", "deviation_id", "kind", "serious"
        )
        for pk, deviation_id, kind, serious in rows.order_by():
            by_deviation.setdefault(deviation_id, []).append((kind, serious, pk in readable))
        for tracks in by_deviation.values():
            tracks.sort(key=lambda t: TRACK_ORDER.get(t[0], 99))
        return by_deviation

    def _row(self, deviation, tracks):
        serious = [
            f"{self.kinds.get(kind, kind)}: {self.verdicts[verdict]}"
            for kind, verdict, readable in tracks
            if readable and verdict is not None and kind != TrackKind.NOT_DEVIATION
        ]
        return {
            "reference": deviation.reference,
            "reported_at": deviation.reported_at,
            "occurred_at": deviation.occurred_at,
            "unit": deviation.unit.name,
            "category": deviation.category.name if deviation.category else "",
            "status": self.statuses.get(deviation.status, deviation.status),
            "tracks": ", ".join(self.kinds.get(kind, kind) for kind, _s, _r in tracks),
            "serious": "; ".join(serious),
            "closed_at": deviation.closed_at,
            "description": deviation.description,
        }

    def rows(self):
        """Dicts keyed by column, in register order; aware datetimes stay aware."""
        for start in range(0, len(self.ids), CHUNK):
            chunk = self.ids[start : start + CHUNK]
            # Only the exported fields are read: the protected identity never leaves the
            # database on this path.
            deviations = Deviation.objects.filter(pk__in=chunk).select_related("unit", "category")
            deviations = deviations.only(
                "reference",
                "reported_at",
                "occurred_at",
                "status",
                "closed_at",
                "description",
                "unit__name",
                "category__name",
            )
            found = {d.pk: d for d in deviations}
            tracks = self._tracks(chunk)
            for pk in chunk:
                if pk in found:
                    yield self._row(found[pk], tracks.get(pk, []))


def local(value):
    """A naive local datetime for a spreadsheet cell (Excel has no time zones)."""
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def csv_safe(value):
    """Text a spreadsheet program will not read as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_datetime(value):
    return local(value).strftime(DATETIME_FORMAT) if value is not None else ""


class _Echo:
    def write(self, value):
        return value


def csv_lines(export):
    """The export as CSV lines: UTF-8 with BOM and semicolons, as Swedish Excel expects."""
    writer = csv_writer()
    yield "\ufeff" + writer.writerow([c.label for c in export.columns])
    batch = []
    for row in export.rows():
        batch.append(
            writer.writerow(
                [
                    csv_datetime(row[c.key]) if c.is_datetime else csv_safe(row[c.key])
                    for c in export.columns
                ]
            )
        )
        if len(batch) >= 200:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def xlsx_bytes(export, title):
    """The export as an XLSX workbook (write-only: rows go to disk as they are made)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for i, column in enumerate(export.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def header(label):
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        return cell

    def text(value):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value or ""))
        # Always a string, never a formula, whatever the text starts with.
        cell.data_type = "s"
        return cell

    def when(value):
        cell = WriteOnlyCell(sheet, value=local(value))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell

    sheet.append([header(c.label) for c in export.columns])
    for row in export.rows():
        sheet.append(
            [when(row[c.key]) if c.is_datetime else text(row[c.key]) for c in export.columns]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def scope_node(user, form):
    """The org node an export covers: the unit filtered on, else the person's widest grant."""
    from organisation.models import OrgNode

    if form.is_valid() and form.cleaned_data.get("unit"):
        return form.cleaned_data["unit"], False
    held = sorted(grants(user, "deviations.view"), key=lambda g: (g.path.count("/"), g.path))
    if not held:
        return None, False
    return OrgNode.objects.filter(pk=held[0].node_id).first(), len(held) > 1


def log_export(user, request, *, fmt, count, form):
    """One access-log row per export, not one per report: the row names the part of the tree
    the export covered and its address holds the exact filter, so a reviewer can tell who took
    which reports out and rebuild the set; a hundred thousand rows per export would drown the
    log and slow the export down."""
    from django.contrib.contenttypes.models import ContentType

    from audit.models import AccessLog

    node, more = scope_node(user, form)
    if node is None:
        return None
    scope = node.name if not more else _("%(name)s and other units") % {"name": node.name}
    return AccessLog.objects.create(
        user=user,
        user_repr=f"{user} ({user.username})",
        content_type=ContentType.objects.get_for_model(node),
        object_id=str(node.pk),
        object_repr=(
            _("Export (%(format)s) of %(count)s deviation reports: %(scope)s")
            % {"format": fmt.upper(), "count": count, "scope": scope}
        )[:200],
        path=request.get_full_path()[:400],
        ip_address=client_ip(request),
    )
