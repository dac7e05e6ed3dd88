"""A local routine proposed to the level above (seed 003), and the closed loop: an action
"revise routine X" opens a draft linked to it; publishing that draft completes the action."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.need_to_know import read_is_sensitive
from accounts.scoping import can
from audit.services import record_event
from routines.models import DRAFT, VIEW, Proposal, Routine, RoutineVersion, VersionState
from routines.services.base import clean_note, next_reference, open_version, search_text
from routines.services.draft import new_version
from routines.services.rules import may_draft, require


def may_propose(user, routine):
    return (
        user is not None
        and routine.unit.parent_id is not None
        and can(user, DRAFT, routine)
        and routine.current_version_id is not None
    )


def may_decide(user, proposal):
    return user is not None and can(user, DRAFT, proposal.to_node)


@transaction.atomic
def propose(routine, *, actor, motivation):
    """Propose the routine to the level above, which decides whether it applies to all."""
    routine = (
        Routine.objects.select_for_update(of=("self",)).select_related("unit").get(pk=routine.pk)
    )
    require(can(actor, DRAFT, routine))
    if routine.unit.parent_id is None:
        raise ValidationError(_("This routine already applies at the top level."), code="top")
    if routine.current_version_id is None:
        raise ValidationError(
            _("Only a published routine can be proposed to the level above."), code="state"
        )
    motivation = clean_note(motivation)
    if not motivation:
        raise ValidationError(
            {"motivation": _("Say why the routine should apply to all.")}, code="required"
        )
    if routine.proposals.filter(outcome=Proposal.Outcome.PENDING).exists():
        raise ValidationError(
            _("The routine has already been proposed and awaits a decision."), code="pending"
        )
    proposal = Proposal.objects.create(
        routine=routine,
        to_node=routine.unit.parent,
        motivation=motivation,
        proposed_by=actor,
    )
    record_event(routine, "routines.proposed", actor, to=proposal.to_node.name)
    return proposal


@transaction.atomic
def decide_proposal(proposal, *, actor, adopt, note=""):
    """Adopt (a new routine of the level above, with a draft copied from the local routine's
    published version, to be approved at that level) or decline (with a reason)."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("routine", "routine__unit", "to_node")
        .get(pk=proposal.pk)
    )
    require(may_decide(actor, proposal))
    if proposal.outcome != Proposal.Outcome.PENDING:
        raise ValidationError(_("The proposal has already been decided."), code="decided")
    note = clean_note(note)
    if not adopt and not note:
        raise ValidationError({"note": _("Say why the proposal is declined.")}, code="required")
    local = proposal.routine
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    if adopt:
        proposal.outcome = Proposal.Outcome.ADOPTED
        proposal.adopted_as = _adopt(local, proposal.to_node, actor)
        record_event(
            proposal.adopted_as, "routines.adopted", actor, source=local.reference, note=note
        )
    else:
        proposal.outcome = Proposal.Outcome.DECLINED
    proposal.save()
    record_event(
        local,
        "routines.proposal_adopted" if adopt else "routines.proposal_declined",
        actor,
        to=proposal.to_node.name,
        note=note,
    )
    return proposal


def _adopt(local, node, actor):
    source = local.current_version or local.versions.order_by("-number").first()
    routine = Routine.objects.create(
        reference=next_reference(),
        title=local.title,
        unit=node,
        owner=actor,
        review_interval_months=local.review_interval_months,
        requires_acknowledgment=local.requires_acknowledgment,
        adopted_from=local,
    )
    routine.roles.set(local.roles.all())
    routine.legal_sections.set(local.legal_sections.all())
    version = RoutineVersion(
        routine=routine,
        number=1,
        body_format=source.body_format,
        body=source.body,
        file=source.file.name if source.file else "",
        file_name=source.file_name,
        search_text=source.search_text,
        change_summary=_("Adopted from %(reference)s (%(unit)s).")
        % {"reference": local.reference, "unit": local.unit.name},
        created_by=actor,
    )
    version.search_text = search_text(version)
    version.save()
    return routine


def _summary_of(action):
    # Everyone who reads the routine reads its change summary: the title of an action from a
    # restricted investigation must not travel there.
    if read_is_sensitive(action):
        return _("Revised after an action.")
    return action.title


@transaction.atomic
def revise_from_action(action, routine, *, actor, change_summary=""):
    """Open the draft that answers the action "revise routine X", linked to the action (a
    planned action is then in progress). An existing draft without an action is linked
    instead of starting a second one; sending the same form again returns the same draft."""
    from actions.models import Status
    from actions.services import change_status, may_manage

    require(may_manage(actor, action) and can(actor, VIEW, routine) and may_draft(actor, routine))
    if action.status not in (Status.PLANNED, Status.IN_PROGRESS):
        raise ValidationError(
            _("Only a planned action or one in progress can revise a routine."), code="state"
        )
    routine = Routine.objects.select_for_update().get(pk=routine.pk)
    existing = open_version(routine)
    if existing is not None and existing.action_id == action.pk:
        return existing
    if existing is not None:
        if existing.state != VersionState.DRAFT or existing.action_id is not None:
            raise ValidationError(
                _("This routine already has a version in the works for something else."),
                code="open_version",
            )
        existing.action = action
        existing.save(update_fields=["action"])
        version = existing
        record_event(routine, "routines.linked_to_action", actor, version=version.number)
    else:
        summary = clean_note(change_summary) or _summary_of(action)
        version = new_version(routine, actor=actor, action=action, change_summary=summary)
    if action.status == Status.PLANNED:
        change_status(action, Status.IN_PROGRESS, actor=actor)
    record_event(action, "routines.revision_started", actor, routine=str(routine))
    return version
