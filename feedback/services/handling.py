"""Feedback handled to an answer: confirm the receipt, forward to the unit that should handle
it, take notes, answer, pass praise on, close and reopen; release or discard a submission held
as possible abuse. Each step locks the feedback, checks the transition table
(feedback.models.TRANSITIONS), writes a transition row and the audit entry."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import RoleAssignment
from audit.services import record_event
from core.once import earlier_send, save_once
from feedback.models import (
    TRANSITIONS,
    AnswerBy,
    FeedbackTransition,
    Kind,
    Note,
    Status,
)
from feedback.services.common import (
    lock,
    may_coordinate,
    require_handle,
    require_open,
    set_targets,
)
from feedback.services.intake import _tell_handlers, status_url
from notifications.services import queue_email

# acknowledge(theme=KEEP): the theme stays as it is.
KEEP = object()


def _move(locked, to, *, actor, reason="", verb, **params):
    action = TRANSITIONS.get((locked.status, to))
    if action is None:
        raise ValidationError(
            _("This cannot be done now: the feedback is “%(status)s”.")
            % {"status": locked.get_status_display()},
            code="transition",
        )
    FeedbackTransition.objects.create(
        feedback=locked,
        action=action,
        from_status=locked.status,
        to_status=to,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
    )
    locked.status = to
    record_event(locked, verb, actor, reference=locked.reference, **params)


def _refresh(feedback, locked, fields):
    for name in fields:
        setattr(feedback, name, getattr(locked, name))
    return feedback


def _clean(text):
    return (text or "").strip()


@transaction.atomic
def acknowledge(feedback, *, actor, message="", health_care=None, theme=KEEP):
    """Confirm the receipt to the person (by e-mail when they gave an address; the private link
    shows it either way). `health_care`: whether it concerns health care, which sets the answer
    target (four weeks for a health-care complaint)."""
    locked = lock(feedback)
    require_handle(actor, locked)
    _move(locked, Status.ACKNOWLEDGED, actor=actor, verb="feedback.acknowledged")
    locked.acknowledged_at = timezone.now()
    fields = ["status", "acknowledged_at"]
    if theme is not KEEP and _set_theme(locked, theme, actor):
        fields.append("theme")
    if health_care is not None and health_care != locked.health_care:
        locked.health_care = health_care
        set_targets(locked)
        fields += ["health_care", "acknowledge_due", "answer_due"]
    locked.save(update_fields=fields)
    if locked.contact_email:
        _mail_person(
            locked,
            gettext_lazy("We have received your feedback: %(reference)s"),
            "feedback/acknowledgment_email.txt",
            message=_clean(message),
        )
    return _refresh(feedback, locked, fields)


def _set_theme(locked, theme, actor):
    """The theme, when it changes (None: not stated); returns whether it did."""
    theme_id = theme.pk if theme is not None else None
    if locked.theme_id == theme_id:
        return False
    if theme is not None and not theme.is_active:
        raise ValidationError({"theme": _("This theme is no longer in use.")}, code="theme")
    locked.theme = theme
    record_event(
        locked,
        "feedback.theme_set",
        actor,
        theme=theme.name if theme is not None else _("Not stated"),
    )
    return True


@transaction.atomic
def set_theme(feedback, *, actor, theme):
    """What the feedback is about, set or corrected by its handler."""
    locked = lock(feedback)
    require_handle(actor, locked)
    require_open(locked)
    if _set_theme(locked, theme, actor):
        locked.save(update_fields=["theme"])
    return _refresh(feedback, locked, ["theme"])


@transaction.atomic
def forward(feedback, *, actor, unit, reason):
    """Hand the feedback to another unit, which handles it from here; its people hear at once."""
    locked = lock(feedback)
    require_handle(actor, locked)
    reason = _clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why it goes to the other unit.")}, code="required")
    if unit.pk == locked.unit_id or not unit.is_active or unit.root_id != locked.unit.root_id:
        raise ValidationError(
            {"unit": _("Choose another open unit of the same organisation.")}, code="unit"
        )
    if locked.status not in (Status.RECEIVED, Status.ACKNOWLEDGED):
        raise ValidationError(_("Only feedback not yet answered can be forwarded."), code="state")
    FeedbackTransition.objects.create(
        feedback=locked,
        action="forward",
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        reason=reason,
    )
    source = locked.unit
    locked.unit = unit
    locked.save(update_fields=["unit"])
    record_event(
        locked,
        "feedback.forwarded",
        actor,
        source=source.name,
        target=unit.name,
        reason=reason,
    )
    _tell_handlers(locked, besides=actor)
    return _refresh(feedback, locked, ["unit"])


@transaction.atomic
def add_note(feedback, *, actor, text, form_token=None):
    existing = earlier_send(Note, form_token)
    if existing is not None:
        return existing
    locked = lock(feedback)
    require_handle(actor, locked)
    require_open(locked)
    text = _clean(text)
    if not text:
        raise ValidationError({"text": _("Write the note.")}, code="required")
    note = save_once(
        Note(feedback=locked, text=text, author=actor, form_token=form_token), form_token
    )
    if note.just_created:
        record_event(locked, "feedback.note_added", actor)
    return note


@transaction.atomic
def answer(feedback, *, actor, text, sent_by):
    """Record the answer and how it went to the person; by e-mail it is sent from here."""
    locked = lock(feedback)
    require_handle(actor, locked)
    text = _clean(text)
    errors = {}
    if not text:
        errors["text"] = _("Write the answer.")
    if sent_by == AnswerBy.EMAIL and not locked.contact_email:
        errors["sent_by"] = _("The person gave no e-mail address.")
    if sent_by == AnswerBy.LETTER and not locked.contact_address:
        errors["sent_by"] = _("The person gave no postal address.")
    if sent_by == AnswerBy.PHONE and not locked.contact_phone:
        errors["sent_by"] = _("The person gave no phone number.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    _move(locked, Status.ANSWERED, actor=actor, verb="feedback.answered")
    locked.answer, locked.answer_sent_by, locked.answered_at = text, sent_by, now
    locked.acknowledged_at = locked.acknowledged_at or now
    fields = ["status", "answer", "answer_sent_by", "answered_at", "acknowledged_at"]
    locked.save(update_fields=fields)
    if sent_by == AnswerBy.EMAIL:
        _mail_person(
            locked, _("Answer to your feedback %(reference)s"), "feedback/answer_email.txt"
        )
    return _refresh(feedback, locked, fields)


def _staff_of(unit):
    return {
        a.user
        for a in RoleAssignment.objects.active()
        .filter(node=unit, user__is_active=True)
        .select_related("user")
        if a.user.email
    }


@transaction.atomic
def pass_on_praise(feedback, *, actor, message):
    """Pass praise on to the people of the unit by e-mail, and close it."""
    locked = lock(feedback)
    require_handle(actor, locked)
    if locked.kind != Kind.PRAISE:
        raise ValidationError(_("Only praise is passed on to the staff."), code="kind")
    message = _clean(message)
    if not message:
        raise ValidationError({"message": _("Write what is passed on.")}, code="required")
    people = sorted(_staff_of(locked.unit), key=lambda u: u.pk)
    subject = _("Praise for %(unit)s") % {"unit": locked.unit.name}
    body = render_to_string("feedback/praise_email.txt", {"feedback": locked, "message": message})
    for person in people:
        queue_email(subject=subject, body=body, to=[person.email])
    _move(locked, Status.CLOSED, actor=actor, verb="feedback.praise_passed_on", count=len(people))
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    _refresh(feedback, locked, ["status", "closed_at"])
    return len(people)


@transaction.atomic
def close(feedback, *, actor, reason=""):
    locked = lock(feedback)
    require_handle(actor, locked)
    reason = _clean(reason)
    if locked.wants_answer and not locked.answered_at and not reason:
        raise ValidationError(
            {"reason": _("The person asked for an answer: say why it closes without one.")},
            code="required",
        )
    _move(locked, Status.CLOSED, actor=actor, reason=reason, verb="feedback.closed")
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    return _refresh(feedback, locked, ["status", "closed_at"])


@transaction.atomic
def reopen(feedback, *, actor, reason):
    locked = lock(feedback)
    require_handle(actor, locked)
    reason = _clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why it is reopened.")}, code="required")
    _move(locked, Status.ACKNOWLEDGED, actor=actor, reason=reason, verb="feedback.reopened")
    locked.closed_at = None
    locked.save(update_fields=["status", "closed_at"])
    return _refresh(feedback, locked, ["status", "closed_at"])


@transaction.atomic
def release(feedback, *, actor):
    """A held submission was genuine: it goes to its unit's handlers like any other."""
    locked = lock(feedback)
    if not may_coordinate(actor, locked):
        raise PermissionDenied
    _move(locked, Status.RECEIVED, actor=actor, verb="feedback.released")
    locked.save(update_fields=["status"])
    _tell_handlers(locked, besides=actor)
    return _refresh(feedback, locked, ["status"])


@transaction.atomic
def discard(feedback, *, actor, reason):
    locked = lock(feedback)
    if not may_coordinate(actor, locked):
        raise PermissionDenied
    reason = _clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why it is discarded.")}, code="required")
    _move(locked, Status.DISCARDED, actor=actor, reason=reason, verb="feedback.discarded")
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    return _refresh(feedback, locked, ["status", "closed_at"])


def _mail_person(feedback, subject, template, **extra):
    context = {"feedback": feedback, "link": status_url(feedback.public_token), **extra}
    with translation.override(feedback.language or "sv"):
        subject = subject % {"reference": feedback.reference}
        body = render_to_string(template, context)
    queue_email(subject=subject, body=body, to=[feedback.contact_email])
