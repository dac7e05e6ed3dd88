"""Who may change the process register, and what may be chosen: checks shared by the services.

Public: `may_manage`, `sees_processes_at`, `owner_candidates`, `linkable_routines` (also
reachable as `processes.services.<name>`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment, User
from accounts.scoping import can, grants
from core.once import earlier_send
from processes.models import MANAGE, VIEW
from routines.models import Routine

# -- who and what may be chosen --------------------------------------------------------------


def may_manage(user, obj):
    return user is None or can(user, MANAGE, obj)


def _require_manage(actor, obj):
    if not may_manage(actor, obj):
        raise PermissionDenied


def sees_processes_at(user, node):
    """Whether the person may see a process of `node`: a grant at the node or below it (a
    process applies down the tree), or a subtree grant that contains the node."""
    for grant in grants(user, VIEW):
        ids = [int(seg) for seg in grant.path.rstrip("/").split("/") if seg]
        if node.pk in ids or (grant.subtree and node.path.startswith(grant.path)):
            return True
    return False


def owner_candidates(node):
    """Active people who may see processes of `node` (any of them may own one there)."""
    assignments = (
        RoleAssignment.objects.active()
        .filter(role__permissions__key=VIEW, node__is_active=True)
        .filter(
            Q(node__path__startswith=node.path)
            | Q(node_id__in=node.ancestor_ids(), include_subtree=True)
        )
    )
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id"))


def linkable_routines(actor, node):
    """Routines the actor may see that apply to `node` (its own and those of the levels above)
    or lie below it; withdrawn routines are not offered."""
    queryset = Routine.objects.all() if actor is None else Routine.objects.visible_to(actor)
    return queryset.filter(
        Q(unit_id__in=node.ancestor_ids()) | Q(unit__path__startswith=node.path),
        withdrawn_at__isnull=True,
    )


def _routine_fits(routine, node):
    return routine.unit_id in node.ancestor_ids() or routine.unit.path.startswith(node.path)


def _check_unit(actor, unit):
    if not unit.is_active:
        raise ValidationError({"unit": _("This part of the organisation is closed.")})
    if not may_manage(actor, unit):
        raise ValidationError(
            {"unit": _("You may not describe processes for this part of the organisation.")}
        )


def _check_owner(owner, unit):
    if not owner.is_active:
        raise ValidationError({"owner": _("This person's account is deactivated.")})
    if not sees_processes_at(owner, unit):
        raise ValidationError(
            {"owner": _("The owner must be a person who works at this level or below it.")}
        )


def _check_routines(actor, node, routines, field="routines"):
    allowed = set(linkable_routines(actor, node).values_list("pk", flat=True))
    refused = [r for r in routines if r.pk not in allowed]
    if refused:
        raise ValidationError(
            {
                field: _(
                    "Only routines you can see that apply to this level or lie below it can "
                    "be linked: %(titles)s"
                )
                % {"titles": ", ".join(r.title for r in refused)}
            }
        )


def _clean_text(value):
    return " ".join((value or "").split())


def _from_token(model, form_token, actor):
    """The record an earlier send of the same form created, or None (core/once.py)."""
    return earlier_send(model, form_token, lambda existing: may_manage(actor, existing))
