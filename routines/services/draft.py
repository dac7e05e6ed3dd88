"""Writing routines: a new routine with its first draft, editing a draft, a new version."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from core import documents
from routines.models import BodyFormat, Routine, RoutineVersion, VersionState
from routines.services.base import next_reference, open_version, search_text
from routines.services.rules import may_draft, readers, require
from routines.text import extract_text, html_to_text, sanitise

ROUTINE_FIELDS = (
    "title",
    "owner",
    "roles",
    "legal_sections",
    "review_interval_months",
    "requires_acknowledgment",
)
MANY = ("roles", "legal_sections")


def _check_unit(actor, unit):
    if not unit.is_active:
        raise ValidationError({"unit": _("This unit is closed.")}, code="closed")
    if not may_draft(actor, unit):
        raise ValidationError(
            {"unit": _("You may not write routines for this part of the organisation.")},
            code="unit",
        )


def _check_owner(owner, unit):
    if not owner.is_active:
        raise ValidationError({"owner": _("This person's account is deactivated.")})
    if not readers(unit).filter(pk=owner.pk).exists():
        raise ValidationError(
            {"owner": _("The owner must be someone who may read the routines of this unit.")},
            code="owner",
        )


def _clean_fields(fields):
    if "title" in fields:
        fields["title"] = " ".join((fields["title"] or "").split())
        if not fields["title"]:
            raise ValidationError({"title": _("Give the routine a title.")}, code="required")
    interval = fields.get("review_interval_months")
    if interval is not None and not 1 <= interval <= 60:
        raise ValidationError(
            {"review_interval_months": _("The review interval is 1 to 60 months.")},
            code="interval",
        )
    return fields


def _set_content(version, *, body=None, file=None):
    """Put the text or the document on the version (not saved). Returns the document's words
    for a file, None for text."""
    if file is not None:
        name = (file.name or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
        words = extract_text(file, name)
        version.body_format = BodyFormat.FILE
        version.body = ""
        version.file.save(name, file, save=False)
        version.file_name = name
        return words
    version.body_format = BodyFormat.TEXT
    version.body = documents.check_body_length(sanitise(body))
    version.file = ""
    version.file_name = ""
    return None


def _check_content(version):
    if version.body_format == BodyFormat.TEXT and not html_to_text(version.body):
        raise ValidationError(
            {"body": _("Write the routine, or upload it as a PDF or Word document.")},
            code="required",
        )


@transaction.atomic
def create_routine(
    *,
    actor,
    unit,
    title,
    owner,
    roles=(),
    legal_sections=(),
    review_interval_months=12,
    requires_acknowledgment=True,
    body="",
    file=None,
    change_summary="",
    action=None,
    form_token=None,
):
    """A new routine of `unit` with version 1 as a draft; `body` is the editor's HTML
    (sanitised here), `file` an uploaded PDF or Word document (its text is extracted).
    A second call with the same `form_token` returns the first routine."""
    if form_token is not None:
        existing = RoutineVersion.objects.filter(form_token=form_token).first()
        if existing is not None:
            return _same_form(existing, actor).routine
    _check_unit(actor, unit)
    fields = _clean_fields(
        {"title": title, "review_interval_months": review_interval_months, "owner": owner}
    )
    _check_owner(owner, unit)
    routine = Routine(
        reference=next_reference(),
        title=fields["title"],
        unit=unit,
        owner=owner,
        review_interval_months=review_interval_months,
        requires_acknowledgment=requires_acknowledgment,
    )
    routine.full_clean(exclude=["reference"])
    version = RoutineVersion(
        routine=routine,
        number=1,
        change_summary=(change_summary or "").strip(),
        created_by=actor,
        action=action,
        form_token=form_token,
    )
    words = _set_content(version, body=body, file=file)
    _check_content(version)
    try:
        with transaction.atomic():
            routine.save()
            routine.roles.set(roles)
            routine.legal_sections.set(legal_sections)
            version.routine = routine
            version.search_text = search_text(version, words)
            version.save()
    except IntegrityError:
        existing = RoutineVersion.objects.filter(form_token=form_token).first()
        if form_token is None or existing is None:
            raise
        return _same_form(existing, actor).routine
    routine.just_created = True
    record_event(routine, "routines.created", actor, title=routine.title, unit=unit.name)
    return routine


def _same_form(existing, actor):
    if actor is not None and existing.created_by_id != actor.pk:
        raise ValidationError(_("This form has already been used. Open a new form."))
    existing.routine.just_created = False
    return existing


@transaction.atomic
def update_draft(version, *, actor, body=None, file=None, change_summary=None, **fields):
    """Change a draft: its text (`body`) or document (`file`), what changed, and the routine's
    details (title, owner, roles, legal_sections, review_interval_months,
    requires_acknowledgment). Returns the names of what changed."""
    unknown = set(fields) - set(ROUTINE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    # The routine first, then the version: the same order as every other service.
    routine = (
        Routine.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=version.routine_id)
    )
    version = RoutineVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    version.routine = routine
    require(may_draft(actor, routine))
    if version.state != VersionState.DRAFT:
        raise ValidationError(
            _("Only a draft can be changed. Send the version back to draft first."),
            code="state",
        )
    fields = _clean_fields(dict(fields))
    if "owner" in fields and fields["owner"].pk != routine.owner_id:
        _check_owner(fields["owner"], routine.unit)
    changed = []
    for name, value in fields.items():
        if name in MANY:
            manager = getattr(routine, name)
            if {o.pk for o in value} != set(manager.values_list("pk", flat=True)):
                manager.set(value)
                changed.append(name)
        elif getattr(routine, name) != value:
            setattr(routine, name, value)
            changed.append(name)
    simple = [n for n in changed if n not in MANY]
    if simple:
        routine.full_clean(exclude=["reference", "current_version"])
        routine.save(update_fields=simple)
    words = None
    if file is not None or (body is not None and sanitise(body) != version.body):
        words = _set_content(version, body=body, file=file)
        _check_content(version)
        changed.append("file" if file is not None else "body")
    if change_summary is not None and change_summary.strip() != version.change_summary:
        version.change_summary = change_summary.strip()
        changed.append("change_summary")
    if not changed:
        return []
    version.search_text = search_text(version, words)
    version.save()
    labels = [str(_field_label(name)) for name in changed]
    record_event(
        routine, "routines.draft_updated", actor, version=version.number, fields=", ".join(labels)
    )
    return changed


def _field_label(name):
    for model in (Routine, RoutineVersion):
        try:
            return model._meta.get_field(name).verbose_name
        except Exception:  # noqa: BLE001  (the name belongs to the other model)
            continue
    return name


@transaction.atomic
def new_version(routine, *, actor, action=None, change_summary=""):
    """A new draft copied from the routine's published version (or its latest one).

    A routine has at most one version in the works (draft, in review, approved): a second is
    refused, so two revisions never race each other to publication.
    """
    routine = (
        Routine.objects.select_for_update(of=("self",)).select_related("unit").get(pk=routine.pk)
    )
    require(may_draft(actor, routine))
    if open_version(routine) is not None:
        raise ValidationError(
            _("This routine already has a version in the works. Continue with that one."),
            code="open_version",
        )
    source = routine.current_version or routine.versions.order_by("-number").first()
    last = routine.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = RoutineVersion(
        routine=routine,
        number=last + 1,
        state=VersionState.DRAFT,
        change_summary=(change_summary or "").strip(),
        created_by=actor,
        created_at=timezone.now(),
        action=action,
    )
    if source is not None:
        version.body_format = source.body_format
        version.body = source.body
        version.file = source.file.name if source.file else ""
        version.file_name = source.file_name
        version.search_text = source.search_text
    version.search_text = search_text(version)
    version.save()
    record_event(
        routine,
        "routines.version_started",
        actor,
        version=version.number,
        source=source.number if source else "",
    )
    return version
