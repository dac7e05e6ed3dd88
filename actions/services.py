"""Every change to an action goes through these functions; other modules call them too.

`actor=None` means the system itself (e.g. a routine version published by a background job).
Who may do what:

- `actions.manage` on the action's unit: create, edit, reassign, change status, record the
  effect check;
- the action's owner, even without any key: change the status of their own action and record
  its effect check.

An action whose source the person may not read (a lex Sarah track) is, for them, as if it did
not exist, unless they own it (see actions/models.py): the checks below ask the source too.

API for other modules: `create_action`, `actions_for(source)`, `open_actions_for(source)`,
`complete_with_evidence(action, evidence_obj, actor=)`.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template import loader
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.need_to_know import source_readable
from accounts.scoping import can
from actions.models import (
    EFFECT_CHECK_ONLY,
    MANAGE,
    TRANSITIONS,
    VIEW,
    Action,
    ActionTransition,
    EffectOutcome,
    Status,
    allowed_targets,
    needs_reason,
)
from audit.services import record_event
from core.once import earlier_send, save_once
from core.site import absolute_url
from notifications.services import queue_email

EDITABLE_FIELDS = (
    "unit",
    "title",
    "description",
    "owner",
    "due_date",
    "planned_effect_check_date",
)
LABEL_LENGTH = 200

# Which event a move to each status writes.
STATUS_VERBS = {
    Status.IN_PROGRESS: "actions.started",
    Status.DONE: "actions.completed",
    Status.CANCELLED: "actions.cancelled",
    Status.EFFECT_CHECKED: "actions.effect_checked",
}
REOPEN_VERB = "actions.reopened"


# -- queries for other modules ---------------------------------------------------------------


def actions_for(source):
    """All actions of one source object (a deviation, a risk analysis, …), by due date."""
    return Action.objects.for_source(source).select_related("unit", "owner")


def open_actions_for(source):
    """The source's actions not yet done and effect-checked or cancelled."""
    return actions_for(source).open()


# -- checks ----------------------------------------------------------------------------------


def may_view(user, action):
    if action.owner_id == getattr(user, "pk", None):
        return True
    return can(user, VIEW, action) and source_readable(user, action)


def may_manage(user, action):
    return user is None or (can(user, MANAGE, action) and source_readable(user, action))


def may_progress(user, action):
    """May change the status and record the effect check: managers and the owner."""
    if user is None:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    return action.owner_id == user.pk or may_manage(user, action)


def possible_owners(actor):
    """The active people an action may be given to: those the actor sees with actions.manage
    (people with a role inside that scope), and the actor themself."""
    if actor is None:
        return User.objects.filter(is_active=True)
    return User.objects.visible_to(actor, MANAGE).filter(is_active=True)


def _label(obj):
    return str(obj)[:LABEL_LENGTH] if obj is not None else ""


def _check_unit(actor, unit):
    if not unit.is_active:
        raise ValidationError({"unit": _("This unit is closed.")}, code="closed")
    if actor is not None and not can(actor, MANAGE, unit):
        raise ValidationError(
            {"unit": _("You may not create or move actions to this unit.")}, code="unit"
        )


def _check_owner(actor, owner):
    if not owner.is_active:
        raise ValidationError({"owner": _("This person's account is deactivated.")})
    if not possible_owners(actor).filter(pk=owner.pk).exists():
        raise ValidationError(
            {
                "owner": _(
                    "You can only give actions to people within your part of the organisation."
                )
            },
            code="owner",
        )


def _check_dates(due_date, planned_effect_check_date):
    if planned_effect_check_date and due_date and planned_effect_check_date < due_date:
        raise ValidationError(
            {
                "planned_effect_check_date": _(
                    "The effect can only be checked after the action is due."
                )
            },
            code="order",
        )


def _notify_owner(action, actor):
    """Tell the owner an action was given to them (not when they gave it to themself)."""
    owner = action.owner
    if not owner.email or (actor is not None and actor.pk == owner.pk):
        return
    context = {
        "action": action,
        "actor": actor,
        "link": absolute_url(action.get_absolute_url()),
        # Where it comes from, only to an owner who may read it.
        "source_label": action.source_label if source_readable(owner, action) else "",
    }
    # The organisation's language, whatever the interface of the person who assigned it.
    with translation.override(settings.LANGUAGE_CODE):
        subject = "".join(
            loader.render_to_string("actions/assigned_subject.txt", context).splitlines()
        )
        body = loader.render_to_string("actions/assigned_email.txt", context)
    queue_email(subject=subject, body=body, to=[owner.email])


# -- creating and editing --------------------------------------------------------------------


@transaction.atomic
def create_action(
    *,
    actor,
    unit,
    title,
    owner,
    due_date,
    source=None,
    description="",
    planned_effect_check_date=None,
    follow_up_of=None,
    form_token=None,
):
    """Create an action in `unit`, owned by `owner`, due on `due_date`.

    `source` is the object the action comes from (None for a free-standing one). A follow-up of
    an earlier action (its effect was not reached) gets the same source unless one is given.
    `form_token` makes a form safe to send twice: the second call returns the first action.
    The returned action's `just_created` says which of the two happened.
    """

    def may_reuse(earlier):
        return _same_person(earlier, actor)

    existing = earlier_send(Action, form_token, may_reuse)
    if existing is not None:
        return existing
    _check_unit(actor, unit)
    _check_owner(actor, owner)
    _check_dates(due_date, planned_effect_check_date)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Say what is to be done.")}, code="required")
    if follow_up_of is not None and actor is not None and not may_view(actor, follow_up_of):
        raise PermissionDenied
    action = Action(
        unit=unit,
        title=title,
        description=(description or "").strip(),
        owner=owner,
        due_date=due_date,
        planned_effect_check_date=planned_effect_check_date,
        follow_up_of=follow_up_of,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        form_token=form_token,
    )
    if source is not None:
        action.source_type = ContentType.objects.get_for_model(source)
        action.source_id = source.pk
        action.source_label = _label(source)
    elif follow_up_of is not None:
        action.source_type_id = follow_up_of.source_type_id
        action.source_id = follow_up_of.source_id
        action.source_label = follow_up_of.source_label
    action.full_clean(exclude=["form_token"])
    action = save_once(action, form_token, may_reuse)
    if not action.just_created:  # the same form sent twice at the same moment
        return action
    params = {"title": action.title, "owner": owner, "unit": unit.name}
    if follow_up_of is not None:
        record_event(action, "actions.follow_up_created", actor, follows=follow_up_of.pk, **params)
    else:
        record_event(action, "actions.created", actor, source=action.source_label, **params)
    _notify_owner(action, actor)
    return action


def _same_person(existing, actor):
    """Only the person who sent the form gets its action back."""
    return (existing.created_by_id is None and actor is None) or (
        actor is not None and existing.created_by_id == actor.pk
    )


@transaction.atomic
def update_action(action, *, actor, **fields):
    """Change what, who, where and when; not for a closed action. Returns the changed names."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    action = Action.objects.select_for_update().select_related("unit", "owner").get(pk=action.pk)
    if not may_manage(actor, action):
        raise PermissionDenied
    if action.is_closed:
        raise ValidationError(
            _("A cancelled or effect-checked action can no longer be changed."), code="closed"
        )
    if "title" in fields:
        fields["title"] = " ".join((fields["title"] or "").split())
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    changed = [name for name, value in fields.items() if getattr(action, name) != value]
    if not changed:
        return []
    if "unit" in changed:
        _check_unit(actor, fields["unit"])
    if "owner" in changed:
        _check_owner(actor, fields["owner"])
    for name in changed:
        setattr(action, name, fields[name])
    _check_dates(action.due_date, action.planned_effect_check_date)
    action.full_clean(exclude=["form_token"])
    action.save(update_fields=changed)
    labels = [str(Action._meta.get_field(name).verbose_name) for name in changed]
    record_event(action, "actions.updated", actor, fields=", ".join(labels))
    if "owner" in changed:
        record_event(action, "actions.owner_changed", actor, owner=action.owner)
        _notify_owner(action, actor)
    return changed


# -- status ----------------------------------------------------------------------------------


def _locked(action):
    return Action.objects.select_for_update().select_related("unit", "owner").get(pk=action.pk)


def _move(action, to, *, actor, reason="", verb=None, **params):
    """Check the move against the table and store it: the action, a transition row, an event."""
    frm = action.status
    if (frm, to) not in TRANSITIONS:
        raise ValidationError(
            _("An action that is “%(from)s” cannot become “%(to)s”.")
            % {"from": Status(frm).label, "to": Status(to).label},
            code="transition",
        )
    reason = (reason or "").strip()
    if needs_reason(frm, to) and not reason:
        raise ValidationError({"reason": _("Give a reason.")}, code="reason")
    now = timezone.now()
    action.status = to
    update = ["status"]
    if to == Status.DONE:
        action.completed_at = now
        update.append("completed_at")
    elif frm == Status.DONE and to == Status.IN_PROGRESS:
        action.completed_at = None
        update.append("completed_at")
    action.save(update_fields=update)
    ActionTransition.objects.create(
        action=action,
        from_status=frm,
        to_status=to,
        actor=actor if actor is not None and actor.is_authenticated else None,
        at=now,
        reason=reason,
    )
    if verb is None:
        verb = REOPEN_VERB if frm == Status.DONE and to == Status.IN_PROGRESS else STATUS_VERBS[to]
    record_event(action, verb, actor, **{"from": frm, "to": to, "reason": reason, **params})
    return action


@transaction.atomic
def change_status(action, to, *, actor, reason=""):
    """Move the action to `to` if the table allows it; cancelling and reopening need a reason.

    The effect check is recorded with `record_effect_check`, not here.
    """
    locked = _locked(action)
    if not may_progress(actor, locked):
        raise PermissionDenied
    if to not in Status.values:
        raise ValidationError(_("Unknown status."), code="transition")
    if to in EFFECT_CHECK_ONLY:
        raise ValidationError(_("Record the effect check to close the action."), code="transition")
    _move(locked, to, actor=actor, reason=reason)
    _refresh(action, locked)
    return action


@transaction.atomic
def record_effect_check(action, *, actor, checked_on, result, outcome):
    """Record whether a done action had the intended effect; it is then effect-checked.

    With the outcome "no" the result stays on the action and a manager creates a follow-up
    action for the same source (`create_action(..., follow_up_of=action)`).
    """
    locked = _locked(action)
    if not may_progress(actor, locked):
        raise PermissionDenied
    errors = {}
    result = (result or "").strip()
    if locked.status != Status.DONE:
        raise ValidationError(
            _("The effect can be checked once the action is done."), code="transition"
        )
    if not result:
        errors["result"] = _("Describe what the check showed.")
    if outcome not in EffectOutcome.values:
        errors["outcome"] = _("Say whether the action had the intended effect.")
    if checked_on is None:
        errors["checked_on"] = _("Give the date of the check.")
    elif checked_on > timezone.localdate():
        errors["checked_on"] = _("The date of the check cannot be in the future.")
    elif locked.completed_at and checked_on < timezone.localdate(locked.completed_at):
        errors["checked_on"] = _("The effect cannot be checked before the action was done.")
    if errors:
        raise ValidationError(errors)
    locked.effect_checked_at = checked_on
    locked.effect_result = result
    locked.effect_ok = outcome
    locked.save(update_fields=["effect_checked_at", "effect_result", "effect_ok"])
    _move(locked, Status.EFFECT_CHECKED, actor=actor, outcome=EffectOutcome(outcome).label)
    _refresh(action, locked)
    return action


@transaction.atomic
def complete_with_evidence(action, evidence_obj, *, actor):
    """Mark the action done by an object that proves it (e.g. the routine version that
    completed a revision). A planned action passes through "in progress"; a done action only
    gets the evidence attached."""
    locked = _locked(action)
    if not may_progress(actor, locked):
        raise PermissionDenied
    if locked.status not in (Status.PLANNED, Status.IN_PROGRESS, Status.DONE):
        raise ValidationError(
            _("A cancelled or effect-checked action cannot be completed."), code="transition"
        )
    locked.evidence_type = ContentType.objects.get_for_model(evidence_obj)
    locked.evidence_id = evidence_obj.pk
    locked.evidence_label = _label(evidence_obj)
    locked.save(update_fields=["evidence_type", "evidence_id", "evidence_label"])
    label = locked.evidence_label
    if locked.status == Status.PLANNED:
        _move(locked, Status.IN_PROGRESS, actor=actor)
    if locked.status == Status.IN_PROGRESS:
        _move(
            locked, Status.DONE, actor=actor, verb="actions.completed_with_evidence", evidence=label
        )
    else:
        record_event(locked, "actions.completed_with_evidence", actor, evidence=label)
    _refresh(action, locked)
    return action


def _refresh(action, locked):
    """Let the caller's object show the stored state."""
    if action is not locked:
        for field in Action._meta.concrete_fields:
            setattr(action, field.attname, getattr(locked, field.attname))


__all__ = [
    "actions_for",
    "allowed_targets",
    "change_status",
    "complete_with_evidence",
    "create_action",
    "may_manage",
    "may_progress",
    "may_view",
    "open_actions_for",
    "possible_owners",
    "record_effect_check",
    "update_action",
]
