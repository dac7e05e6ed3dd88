"""Who may do what with routines: the permission keys and the approving role of each level.

The services check these themselves; the views ask the same functions to decide what to offer.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from accounts.models import RoleAssignment, User
from accounts.scoping import can
from routines.models import DRAFT, VIEW, ApprovalAuthority

APPROVE = "routines.approve"
MANAGE = "routines.manage"
IMPORT = "routines.import"


# -- who may do what -------------------------------------------------------------------------


def is_person(user):
    return user is not None and user.is_authenticated and user.is_active


def may_draft(user, routine_or_node):
    """Write and revise routines of the node (the system itself may, e.g. an import)."""
    return user is None or can(user, DRAFT, routine_or_node)


def may_manage(user, routine_or_node):
    return user is None or can(user, MANAGE, routine_or_node)


def may_import(user, routine_or_node):
    """Put a document approved before Hjulet in force, recording who approved it outside."""
    return user is None or can(user, IMPORT, routine_or_node)


def approval_authority(node):
    """The ApprovalAuthority row for the node's level, or None when none is set."""
    return ApprovalAuthority.objects.select_related("role").filter(node_kind=node.kind).first()


def holds_authority(user, node, authority=None):
    """Whether the person holds the approving role of the node's level, by an assignment
    covering the node, and the key routines.approve there."""
    if not is_person(user):
        return False
    authority = authority or approval_authority(node)
    if authority is None or authority.role_id is None or not can(user, APPROVE, node):
        return False
    rows = (
        RoleAssignment.objects.active()
        .filter(user=user, role_id=authority.role_id, node__is_active=True)
        .values_list("node_id", "node__path", "include_subtree")
    )
    return any(
        node_id == node.pk or (subtree and node.path.startswith(path))
        for node_id, path, subtree in rows
    )


def may_approve(user, routine):
    return holds_authority(user, routine.unit)


def may_publish(user, routine):
    """Publish or withdraw a published version: the approving role of the routine's level.

    Following routines up (routines.manage) is not enough: an auditor who follows up must not
    be able to put a routine in force or take it away."""
    return user is None or may_approve(user, routine)


def require(allowed):
    if not allowed:
        raise PermissionDenied


def readers_q(node):
    """A Q over RoleAssignment: the assignments that let a person read routines of `node`
    (at the node or below it, or above it with the subtree; see RoutineQuerySet.visible_to)."""
    return Q(node__path__startswith=node.path) | Q(
        node_id__in=node.ancestor_ids(), include_subtree=True
    )


def readers(node):
    """The active people who may read the routines of `node`."""
    assignments = RoleAssignment.objects.active().filter(
        readers_q(node), role__permissions__key=VIEW, node__is_active=True
    )
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id")).order_by(
        "last_name", "first_name", "username"
    )
