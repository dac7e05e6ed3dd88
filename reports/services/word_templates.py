"""The organisation's own Word template for the yearly reports: uploaded, replaced or removed by
someone who writes the reports of that part of the organisation; the nearest template up the
tree is the one a report's Word document is written into (reports/word.py).

A template is proven to be a Word document before it is kept: a zip archive with
word/document.xml that passes the gate every uploaded document passes (core/documents.py: no
bombs, no hidden definitions, no macros) and that python-docx opens. A refusal names the file.
"""

import io
import logging
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can
from audit.services import record_event
from core import documents
from core.uploads import max_upload_bytes, upload_size
from reports import word
from reports.models import WRITE, WordTemplate

logger = logging.getLogger(__name__)

EXTENSIONS = ("docx", "dotx")
MAX_SIZE = max_upload_bytes("report_template")  # core/data/document_limits.json


def file_name(file):
    """The file's own name without any folder, at most 200 characters."""
    name = (file.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if len(name) > 200:
        stem, _dot, extension = name.rpartition(".")
        name = f"{stem[: 199 - len(extension)]}.{extension}"
    return name


def _not_word(name):
    return ValidationError(
        {
            "file": _(
                "“%(name)s” is not a Word document. Save the template in Word as a Word "
                "document (.docx) or a Word template (.dotx) and upload it again."
            )
            % {"name": name}
        },
        code="template_type",
    )


def _has_main_part(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def check_template(file):
    """The bytes of an uploaded template, or a ValidationError on the field `file`."""
    name = file_name(file)
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise _not_word(name)
    if file.size > MAX_SIZE:
        raise ValidationError(
            {
                "file": _("“%(name)s” is larger than %(size)s. Choose a smaller file.")
                % {"name": name, "size": upload_size("report_template")}
            },
            code="file_size",
        )
    file.seek(0)
    data = file.read(MAX_SIZE + 1)
    file.seek(0)
    if not data.startswith(b"PK\x03\x04"):
        raise _not_word(name)
    try:
        documents.check_docx(data, name)
    except ValidationError as error:
        # An archive without word/document.xml is some other kind of file (a renamed Excel
        # workbook): say so, rather than that it could not be read.
        if error.code == "file_unreadable" and not _has_main_part(data):
            raise _not_word(name) from error
        raise ValidationError({"file": error.messages}, code=error.code) from error
    try:
        word.new_document(data)
    except Exception as error:  # noqa: BLE001  (whatever python-docx cannot open is no template)
        raise _not_word(name) from error
    return data


def _remove_file(name):
    if name:
        # After the commit: a rollback must not leave a template without its file.
        storage = WordTemplate._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def set_template(node, file, *, actor):
    """Upload a template for `node`'s reports, or replace the one it has."""
    if not can(actor, WRITE, node):
        raise PermissionDenied
    data = check_template(file)
    name = file_name(file)
    template = WordTemplate.objects.select_for_update().filter(node=node).first()
    replaced = template.file.name if template else ""
    if template is None:
        template = WordTemplate(node=node)
    template.name = name
    template.uploaded_by = actor
    template.uploaded_at = timezone.now()
    template.file.save(name, ContentFile(data), save=False)
    template.save()
    _remove_file(replaced)
    verb = "report.word_template_replaced" if replaced else "report.word_template_set"
    record_event(node, verb, actor, name=name)
    return template


@transaction.atomic
def remove_template(node, *, actor):
    if not can(actor, WRITE, node):
        raise PermissionDenied
    template = WordTemplate.objects.select_for_update().filter(node=node).first()
    if template is None:
        return None
    stored, name = template.file.name, template.name
    template.delete()
    _remove_file(stored)
    record_event(node, "report.word_template_removed", actor, name=name)
    return name


def template_for(node):
    """The template the reports of `node` are written into: its own, else the nearest above
    it (the root's is the municipality's), else None."""
    ids = node.ancestor_ids()
    found = {t.node_id: t for t in WordTemplate.objects.filter(node_id__in=ids)}
    return next((found[pk] for pk in reversed(ids) if pk in found), None)


def template_bytes(node):
    """The bytes of the template for `node`'s reports, or None: python-docx's plain template
    is used when there is none, or when its file is gone (logged)."""
    template = template_for(node)
    if template is None:
        return None
    try:
        with template.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError, ValueError):
        logger.warning("The Word template of node %s has no file", template.node_id)
        return None
