"""Files attached to a report: only kinds we can check, and only through a permission check."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scoping import can
from audit.services import record_event
from core import documents
from core.uploads import max_upload_bytes, upload_size
from deviations.models import Attachment

# Extension → (content type, a test of the file's first bytes). Word's .docx is a zip archive;
# HEIC (iPhone photos) an ISO media file whose first box is "ftyp" with a HEIF brand.
ATTACHMENT_TYPES = {
    "pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    "jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "heic": (
        "image/heic",
        lambda head: (
            head[4:8] == b"ftyp"
            and head[8:12]
            in {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
        ),
    ),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda head: head.startswith(b"PK\x03\x04"),
    ),
}
MAX_ATTACHMENT_SIZE = max_upload_bytes("attachment")  # core/data/document_limits.json
# What core/documents.py opens to prove a file harmless for everyone who downloads it. HEIC is
# checked by its header only: no HEIF decoder is installed.
CONTENT_CHECKS = {
    "pdf": documents.check_pdf,
    "docx": documents.check_docx,
    "jpg": lambda data, name: documents.check_image(data, name, "jpeg"),
    "jpeg": lambda data, name: documents.check_image(data, name, "jpeg"),
    "png": lambda data, name: documents.check_image(data, name, "png"),
}


def attachment_name(file):
    """The file's own name without any folder, at most 200 characters."""
    name = (file.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: 199 - len(extension)]}{dot}{extension}" if dot else name[:200]
    return name


def attachment_type(name):
    """The content type of an allowed file name, or None."""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    allowed = ATTACHMENT_TYPES.get(extension)
    return allowed[0] if allowed else None


def check_attachment(file):
    """Refuse a file that is too large, of a kind not allowed, or not what its name says."""
    name = attachment_name(file)
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("“%(name)s” cannot be attached: choose a PDF, JPEG, PNG, HEIC or Word (.docx) file.")
            % {"name": name},
            code="file_type",
        )
    if file.size > MAX_ATTACHMENT_SIZE:
        raise ValidationError(
            _("“%(name)s” is larger than %(size)s. Choose a smaller file or take a new photo.")
            % {"name": name, "size": upload_size("attachment")},
            code="file_size",
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not ATTACHMENT_TYPES[extension][1](head):
        raise ValidationError(
            _("“%(name)s” is not the kind of file its name says. Choose another file.")
            % {"name": name},
            code="file_content",
        )
    check = CONTENT_CHECKS.get(extension)
    if check is not None:
        data = file.read(MAX_ATTACHMENT_SIZE + 1)
        file.seek(0)
        check(data, name)


def may_add_attachment(user, deviation):
    return (user.is_authenticated and deviation.reported_by_id == user.pk) or can(
        user, "deviations.view", deviation
    )


@transaction.atomic
def add_attachment(deviation, file, *, actor):
    """Attach a file to a report: its reporter, or someone who sees the unit's reports."""
    if not may_add_attachment(actor, deviation):
        raise PermissionDenied
    check_attachment(file)
    name = attachment_name(file)
    attachment = Attachment(deviation=deviation, name=name, uploaded_by=actor)
    attachment.file.save(name, file, save=False)
    attachment.save()
    record_event(deviation, "deviations.attachment_added", actor, name=name)
    return attachment
