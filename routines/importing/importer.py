"""Import of existing routines: many PDF/Word documents and one index of their metadata.

`run_import(actor=, index_file=, files=)` reads the index (routines/importing/index.py),
checks every row completely before anything is created for it, and turns each good row into a
routine whose first version is published as approved before Hjulet existed (`create_routine`
+ `publish_imported`). Each row has its own transaction: a bad row stops nothing else.
Importing the same batch again creates nothing twice: a row whose title already exists at its
unit with the same file content is reported as already imported. The result is an
`ImportReport`, shown to the importer at once and counted in the audit trail.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import grants
from audit.services import record_event
from audit.verbs import register
from core.uploads import megabytes
from organisation.models import OrgNode
from routines import text as routine_text
from routines.importing.index import (
    date_value,
    file_name_value,
    list_value,
    months_value,
    read_index,
    text_value,
    yes_no_value,
)
from routines.importing.lookups import (
    IMPORT,
    Lookups,
    Uploads,
    fingerprint,
    nfc,
    stored_fingerprints,
)
from routines.models import Routine

MAX_FILES = 50
MAX_TOTAL_SIZE = 200 * 1024 * 1024
EXTENSIONS = (".pdf", ".docx")

IMPORTED, ALREADY, REJECTED = "imported", "already", "rejected"

register(
    "routines.import_run",
    gettext_lazy(
        "Import of routines from “%(index)s” by %(actor)s: %(imported)s imported, %(already)s "
        "already imported, %(rejected)s rejected, %(unlisted)s files not in the index"
    ),
)
register(
    "routines.imported",
    gettext_lazy("Imported by %(actor)s from the file “%(file)s” (row %(row)s of “%(index)s”)"),
)


@dataclass
class RowResult:
    row: int
    file_name: str
    title: str
    unit_label: str
    status: str = REJECTED
    reasons: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    routine: Routine | None = None


@dataclass
class ImportReport:
    index_name: str
    rows: list = field(default_factory=list)
    unlisted_files: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)

    def _of(self, status):
        return [r for r in self.rows if r.status == status]

    @property
    def imported(self):
        return self._of(IMPORTED)

    @property
    def already(self):
        return self._of(ALREADY)

    @property
    def rejected(self):
        return self._of(REJECTED)


def check_batch(files):
    """Refuse a batch that is too large as a whole, before any file is read."""
    if len(files) > MAX_FILES:
        raise ValidationError(
            _("Upload at most %(max)s documents at a time; you chose %(count)s.")
            % {"max": MAX_FILES, "count": len(files)},
            code="too_many_files",
        )
    if sum(f.size or 0 for f in files) > MAX_TOTAL_SIZE:
        raise ValidationError(
            _("The documents are larger than %(size)s together. Import them in smaller batches.")
            % {"size": megabytes(MAX_TOTAL_SIZE)},
            code="too_large",
        )


def _date(row, key, label, reasons):
    try:
        return date_value(row.get(key))
    except ValueError as error:
        reasons.append(
            _("“%(value)s” in %(column)s is not a date (write it as 2024-03-15)")
            % {"column": label, "value": error}
        )
        return None


def _required(row, key, label, reasons):
    value = text_value(row.get(key))
    if not value:
        reasons.append(_("the column %(column)s is empty") % {"column": label})
    return value


class _Batch:
    """One import run: the uploads, the lookups, and what earlier rows of the index named."""

    def __init__(self, actor, index, files):
        self.actor = actor
        self.index = index
        self.uploads = Uploads(files)
        self.lookups = Lookups(actor)
        self.file_rows = {}
        self.title_rows = {}
        self.today = timezone.localdate()

    def validate(self, number, row):
        """A RowResult and the checked values; every reason of the row, not just the first."""
        reasons, warnings, values = [], [], {}
        name = nfc(file_name_value(row.get("file")))
        title = text_value(row.get("title"))
        unit_text = text_value(row.get("unit"))
        result = RowResult(row=number, file_name=name, title=title, unit_label=unit_text)
        result.reasons, result.warnings = reasons, warnings

        file = self._file(number, name, reasons)
        if not title:
            reasons.append(_("the column %(column)s is empty") % {"column": "titel"})
        elif len(title) > 200:
            reasons.append(_("the title is longer than 200 characters"))
        unit = self.lookups.unit(unit_text, reasons) if unit_text else None
        if not unit_text:
            reasons.append(_("the column %(column)s is empty") % {"column": "enhet"})
        owner_text = _required(row, "owner", "ägare", reasons)
        owner = self.lookups.owner(owner_text, unit, reasons) if owner_text else None
        roles = self.lookups.roles_of(list_value(row.get("roles")), reasons)
        try:
            interval = months_value(row.get("interval")) or 12
        except ValueError as error:
            reasons.append(
                _("“%(value)s” in granskningsintervall is not a number of months from 1 to 60")
                % {"value": error}
            )
            interval = 12
        approved_as = _required(row, "approved_as", "fastställd_av", reasons)
        if len(approved_as) > 120:
            reasons.append(_("the text in fastställd_av is longer than 120 characters"))
        approved_on = _date(row, "approved_on", "fastställd_datum", reasons)
        if approved_on is None and not any("fastställd_datum" in r for r in reasons):
            reasons.append(_("the column %(column)s is empty") % {"column": "fastställd_datum"})
        effective_from = _date(row, "effective_from", "gäller_från", reasons) or self.today
        if approved_on and approved_on > self.today:
            reasons.append(_("the date in fastställd_datum lies in the future"))
        if approved_on and effective_from < approved_on:
            reasons.append(_("the date in gäller_från is earlier than the one in fastställd_datum"))
        try:
            acknowledge = yes_no_value(row.get("acknowledge"))
        except ValueError as error:
            reasons.append(_("write ja or nej in kvittens, not “%(value)s”") % {"value": error})
            acknowledge = True
        legal = self.lookups.legal.match(str(row.get("legal") or ""), effective_from)
        reasons.extend(legal.errors)
        warnings.extend(legal.warnings)

        if unit is not None and title:
            self._title(number, unit, title, file, result)
        values.update(
            file=file,
            title=title,
            unit=unit,
            owner=owner,
            roles=roles,
            legal_sections=legal.sections,
            review_interval_months=interval,
            approved_as=approved_as,
            approved_on=approved_on,
            effective_from=effective_from,
            requires_acknowledgment=True if acknowledge is None else acknowledge,
        )
        return result, values

    def _file(self, number, name, reasons):
        if not name:
            reasons.append(_("the column %(column)s is empty") % {"column": "filnamn"})
            return None
        earlier = self.file_rows.setdefault(name.casefold(), number)
        if earlier != number:
            reasons.append(
                _("the file “%(name)s” is already named on row %(row)s")
                % {"name": name, "row": earlier}
            )
            return None
        if not name.lower().endswith(EXTENSIONS):
            reasons.append(_("“%(name)s” is not a PDF or Word (.docx) file") % {"name": name})
            return None
        file, error = self.uploads.get(name)
        if error:
            reasons.append(error)
            return None
        try:
            routine_text.extract_text(file, name)
        except ValidationError as invalid:
            reasons.extend(invalid.messages)
            return None
        return file

    def _title(self, number, unit, title, file, result):
        key = (unit.pk, title.casefold())
        earlier = self.title_rows.setdefault(key, number)
        if earlier != number:
            result.reasons.append(
                _("row %(row)s already has this title at the same unit") % {"row": earlier}
            )
            return
        existing = existing_routine(unit, title)
        if existing is None:
            return
        if file is not None and fingerprint(file) in stored_fingerprints(existing):
            result.status, result.routine = ALREADY, existing
            result.reasons.clear()
        else:
            result.reasons.append(
                _(
                    "a routine called “%(title)s” already exists at %(unit)s (%(reference)s); "
                    "give the document another title or revise the existing routine"
                )
                % {"title": title, "unit": unit, "reference": existing.reference}
            )

    def create(self, result, values):
        """The routine of one checked row, in its own transaction."""
        from routines.services.draft import create_routine
        from routines.services.publish import publish_imported

        file = values.pop("file")
        approval = {k: values.pop(k) for k in ("approved_as", "approved_on", "effective_from")}
        file.name = result.file_name
        file.seek(0)
        try:
            with transaction.atomic():
                # Two imports of the same batch at once: the second waits here, then finds
                # the routine the first made.
                list(OrgNode.objects.select_for_update().filter(pk=values["unit"].pk))
                existing = existing_routine(values["unit"], values["title"])
                if existing is not None:
                    result.status, result.routine = ALREADY, existing
                    return
                routine = create_routine(
                    actor=self.actor,
                    file=file,
                    change_summary=_("Imported from “%(file)s”") % {"file": result.file_name},
                    **values,
                )
                version = routine.versions.order_by("number").first()
                publish_imported(version, actor=self.actor, **approval)
                record_event(
                    routine,
                    "routines.imported",
                    self.actor,
                    file=result.file_name,
                    row=result.row,
                    index=self.index.name,
                )
        except ValidationError as invalid:
            result.reasons.extend(invalid.messages)
            return
        except PermissionDenied:
            result.reasons.append(
                _("you may not create and publish routines for %(unit)s") % {"unit": values["unit"]}
            )
            return
        routine.refresh_from_db()
        routine.unit = values["unit"]
        result.status, result.routine = IMPORTED, routine


def existing_routine(unit, title):
    key = title.casefold()
    for routine in Routine.objects.filter(unit=unit, withdrawn_at__isnull=True).order_by("pk"):
        if routine.title.casefold() == key:
            routine.unit = unit  # the report names it: no query per row
            return routine
    return None


def run_import(*, actor, index_file, files):
    """Import a batch; returns an ImportReport. A ValidationError (Swedish) means the index or
    the batch as a whole could not be used, and nothing was created."""
    if not grants(actor, IMPORT):
        raise PermissionDenied
    check_batch(files)
    index = read_index(index_file, file_name_value(index_file.name))
    batch = _Batch(actor, index, files)
    report = ImportReport(index_name=index.name, ignored_columns=index.ignored_columns)
    for number, row in index.rows:
        result, values = batch.validate(number, row)
        report.rows.append(result)
        if result.status == REJECTED and not result.reasons:
            batch.create(result, values)
    named = set(batch.file_rows)
    report.unlisted_files = sorted(
        (n for k, n in batch.uploads.names.items() if k not in named), key=str.casefold
    )
    _record(report, actor)
    return report


def _record(report, actor):
    units = [r.routine.unit for r in report.rows if r.routine is not None]
    if units:
        paths = [u.path.strip("/").split("/") for u in units]
        common = []
        for segments in zip(*paths, strict=False):
            if len(set(segments)) != 1:
                break
            common.append(segments[0])
        where = OrgNode.objects.get(pk=int(common[-1])) if common else units[0]
    else:
        top = min(grants(actor, IMPORT), key=lambda g: len(g.path))
        where = OrgNode.objects.get(pk=top.node_id)
    record_event(
        where,
        "routines.import_run",
        actor,
        index=report.index_name,
        imported=len(report.imported),
        already=len(report.already),
        rejected=len(report.rejected),
        unlisted=len(report.unlisted_files),
    )
