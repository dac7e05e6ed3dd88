"""Checklist templates: create, add, change and remove questions, adapt for a node below.

Every change of a template's questions writes a TemplateChange row (before, after, by whom)
and an audit event, so an adaptation shows exactly what differs from its parent.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from core.once import earlier_send, save_once
from inspections.models import ChecklistTemplate, Question, TemplateChange
from inspections.services.common import clean_text, person, require_manage

Kind = TemplateChange.Kind


def _locked(template):
    return (
        ChecklistTemplate.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=template.pk)
    )


def _change(template, kind, actor, question=None, before="", after="", reason=""):
    TemplateChange.objects.create(
        template=template,
        kind=kind,
        question=question,
        before=before,
        after=after,
        reason=(reason or "").strip(),
        actor=person(actor),
    )


@transaction.atomic
def create_template(
    *, actor, unit, title, method, purpose="", questions=(), is_example=False, form_token=None
):
    """A new checklist at `unit` (usable in its subtree), with its questions in order.
    `questions`: texts, or dicts with text, guidance, routine, legal_section."""
    existing = earlier_send(ChecklistTemplate, form_token)
    if existing is not None:
        return existing
    require_manage(actor, unit)
    title = clean_text(title)
    if not title:
        raise ValidationError({"title": _("Give the checklist a title.")}, code="required")
    template = ChecklistTemplate(
        unit=unit,
        title=title,
        purpose=(purpose or "").strip(),
        method=method,
        is_example=is_example,
        created_by=person(actor),
        form_token=form_token,
    )
    template = save_once(template, form_token)
    if not template.just_created:
        return template
    for order, spec in enumerate(questions, start=1):
        spec = {"text": spec} if isinstance(spec, str) else dict(spec)
        Question.objects.create(template=template, order=order, **spec)
    record_event(template, "inspections.template_created", actor, title=title, unit=unit.name)
    return template


@transaction.atomic
def add_question(template, *, actor, text, guidance="", routine=None, legal_section=None):
    locked = _locked(template)
    require_manage(actor, locked)
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": _("Write the question.")}, code="required")
    last = locked.questions.order_by("-order").values_list("order", flat=True).first() or 0
    question = Question.objects.create(
        template=locked,
        order=last + 1,
        text=text,
        guidance=(guidance or "").strip(),
        routine=routine,
        legal_section=legal_section,
    )
    _change(locked, Kind.ADDED, actor, question, after=text)
    record_event(locked, "inspections.question_added", actor, question=text)
    return question


@transaction.atomic
def change_question(
    question, *, actor, text, guidance="", routine=None, legal_section=None, reason=""
):
    locked = _locked(question.template)
    require_manage(actor, locked)
    question = Question.objects.select_for_update(of=("self",)).get(pk=question.pk, template=locked)
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": _("Write the question.")}, code="required")
    before = question.text
    fields = {
        "text": text,
        "guidance": (guidance or "").strip(),
        "routine": routine,
        "legal_section": legal_section,
    }
    changed = [name for name, value in fields.items() if getattr(question, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(question, name, fields[name])
    question.save(update_fields=changed)
    _change(locked, Kind.CHANGED, actor, question, before=before, after=text, reason=reason)
    record_event(locked, "inspections.question_changed", actor, question=text)
    return changed


@transaction.atomic
def remove_question(question, *, actor, reason=""):
    """The question is no longer asked; earlier answers keep it."""
    locked = _locked(question.template)
    require_manage(actor, locked)
    question = Question.objects.select_for_update(of=("self",)).get(pk=question.pk, template=locked)
    if not question.is_active:
        return question
    question.is_active = False
    question.save(update_fields=["is_active"])
    _change(locked, Kind.REMOVED, actor, question, before=question.text, reason=reason)
    record_event(locked, "inspections.question_removed", actor, question=question.text)
    return question


@transaction.atomic
def set_in_use(template, *, actor, in_use, reason=""):
    """Take a checklist out of use or into use again. Out of use it is offered for no new plan
    item or execution; the occasions already planned with it may still be carried out, and its
    executions and local adaptations are kept. Returns whether anything changed."""
    locked = _locked(template)
    require_manage(actor, locked)
    if locked.is_active == in_use:
        return False
    reason = (reason or "").strip()
    if not in_use and not reason:
        raise ValidationError(
            {"reason": _("Say why the checklist is taken out of use.")}, code="required"
        )
    locked.is_active = in_use
    locked.save(update_fields=["is_active"])
    kind = Kind.RESTORED if in_use else Kind.RETIRED
    _change(locked, kind, actor, reason=reason)
    verb = "inspections.template_restored" if in_use else "inspections.template_retired"
    record_event(locked, verb, actor, checklist=locked.title)
    template.is_active = in_use
    return True


@transaction.atomic
def adapt_template(template, *, actor, unit, reason="", form_token=None):
    """A local copy of `template` for `unit` (within the template's subtree). Its questions
    remember the question they were copied from; later changes are recorded on the copy."""
    existing = earlier_send(ChecklistTemplate, form_token)
    if existing is not None:
        return existing
    require_manage(actor, unit)
    if not unit.path.startswith(template.unit.path) or unit.pk == template.unit_id:
        raise ValidationError(
            {"unit": _("A checklist is adapted for a unit below the level that owns it.")},
            code="unit",
        )
    copy = ChecklistTemplate.objects.create(
        unit=unit,
        title=template.title,
        purpose=template.purpose,
        method=template.method,
        parent=template,
        created_by=person(actor),
        form_token=form_token,
    )
    for question in template.questions.filter(is_active=True).order_by("order", "pk"):
        Question.objects.create(
            template=copy,
            order=question.order,
            text=question.text,
            guidance=question.guidance,
            routine=question.routine,
            legal_section=question.legal_section,
            origin_id=question.origin_id or question.pk,
        )
    _change(copy, Kind.ADAPTED, actor, after=template.title, reason=reason)
    copy.just_created = True
    record_event(copy, "inspections.template_adapted", actor, parent=template.title, unit=unit.name)
    return copy
