"""A finding becomes an action (actions.services.create_action, the finding as its source) or
is closed with a reason: FINDING_TRANSITIONS in models/execution.py."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actions.services import create_action
from audit.services import record_event
from inspections.models import Finding, FindingTransition
from inspections.models.execution import FINDING_TRANSITIONS, FindingState
from inspections.services.common import person, require_manage


def _locked(finding):
    return (
        Finding.objects.select_for_update(of=("self",))
        .select_related("execution__unit", "action")
        .get(pk=finding.pk)
    )


def _move(finding, to, *, actor, reason=""):
    frm = finding.state
    if (frm, to) not in FINDING_TRANSITIONS:
        raise ValidationError(
            _("A finding that is “%(from)s” cannot become “%(to)s”.")
            % {"from": FindingState(frm).label, "to": FindingState(to).label},
            code="transition",
        )
    reason = (reason or "").strip()
    if FINDING_TRANSITIONS[(frm, to)] and not reason:
        raise ValidationError({"reason": _("Give a reason.")}, code="reason")
    finding.state = to
    finding.closed_reason = reason if to == FindingState.CLOSED else finding.closed_reason
    finding.save(update_fields=["state", "closed_reason", "action"])
    FindingTransition.objects.create(
        finding=finding, from_state=frm, to_state=to, reason=reason, actor=person(actor)
    )


@transaction.atomic
def make_action(finding, *, actor, title, owner, due_date, description="", form_token=None):
    """open → action made: an action for the finding's unit, with the finding as its source.
    The same form sent twice returns the first action."""
    locked = _locked(finding)
    require_manage(actor, locked)
    if (
        locked.state == FindingState.ACTION
        and form_token is not None
        and locked.action is not None
        and locked.action.form_token == form_token
    ):
        locked.action.just_created = False
        return locked.action
    if locked.state != FindingState.OPEN:
        raise ValidationError(_("This finding is already dealt with."), code="transition")
    action = create_action(
        actor=actor,
        unit=locked.execution.unit,
        title=title,
        owner=owner,
        due_date=due_date,
        description=description,
        source=locked,
        form_token=form_token,
    )
    locked.action = action
    _move(locked, FindingState.ACTION, actor=actor)
    record_event(locked.execution, "inspections.finding_action", actor, action=action.title)
    finding.state, finding.action = locked.state, action
    return action


@transaction.atomic
def close_finding(finding, *, actor, reason):
    """open → closed with a reason (no action needed, and why)."""
    locked = _locked(finding)
    require_manage(actor, locked)
    _move(locked, FindingState.CLOSED, actor=actor, reason=reason)
    record_event(locked.execution, "inspections.finding_closed", actor, reason=reason)
    finding.state, finding.closed_reason = locked.state, locked.closed_reason
    return finding
