"""Responsibility for the management system in the yearly quality report (SOSFS 2011:9 3 kap
1–3 §§): how the tasks of the quality work are distributed in the report's part of the
organisation, read from the responsibility matrix (organisation/responsibility.py). Counts
only, never names: the report may be made public. Registered in organisation/registrations.py
(core/chapters.py).

A role is held for a node as the matrix holds it: by an active person whose assignment is at
the node, or at a node above it and covers the units below. Only the assignments keep a history
(valid_from, valid_until): they are read on the last day of the year, or today while the year
is still running. The tree (which units are open) and the accounts (who is active) keep none,
so they are read as they are today.
"""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from core.chapters import Figure, Part, Table
from organisation.models import PATH_SEGMENT, NodeKind, OrgNode, RoleDuty

UNIT_MANAGER = "unit_manager"
# The role that leads a node of each kind; a board is led by its members and an operation by
# the unit manager above it, so neither has a manager of its own to count.
MANAGER_ROLE = {
    NodeKind.ADMINISTRATION: "administration_manager",
    NodeKind.DEPARTMENT: "department_manager",
    NodeKind.UNIT: UNIT_MANAGER,
}
SEGMENT = len(PATH_SEGMENT.format(0))


def reading_day(year):
    return min(datetime.date(year, 12, 31), timezone.localdate())


def _assignments(scope, day):
    """(role code, person, node path, covers the units below) of the assignments that hold a
    role in the scope on `day`: within it, or above it and covering it."""
    above = scope.ancestor_ids()[:-1]
    return list(
        RoleAssignment.objects.active(day)
        .filter(node__is_active=True, user__is_active=True)
        .filter(Q(node__path__startswith=scope.path) | Q(node_id__in=above, include_subtree=True))
        .values_list("role__code", "user_id", "node__path", "include_subtree")
    )


def _holders(assignments, role, node):
    """The people holding `role` for `node`."""
    return {
        user
        for code, user, path, below in assignments
        if code == role and (path == node.path or (below and node.path.startswith(path)))
    }


# A contracted provider's unit is led by the provider's own management; the municipality's
# counterpart there is the provider representative, who is counted as its manager.
LEADS_A_UNIT = (UNIT_MANAGER, "provider_representative")


def _without_manager(assignments, units):
    at = {path for code, _user, path, _below in assignments if code in LEADS_A_UNIT}
    over = {path for code, _user, path, below in assignments if code in LEADS_A_UNIT and below}
    # A unit's ancestors are the prefixes of its path: a set lookup each, not a scan per unit.
    return [
        unit
        for unit in units
        if unit.path not in at
        and not any(unit.path[:end] in over for end in range(SEGMENT, len(unit.path), SEGMENT))
    ]


def _child_row(child, units, without, assignments):
    role = MANAGER_ROLE.get(child.kind)
    below = [u for u in units if u.path.startswith(child.path)]
    return [
        child.name,
        len(_holders(assignments, role, child)) if role else "–",
        len(below),
        sum(1 for u in without if u.path.startswith(child.path)),
    ]


def responsibility(scope, year):
    """The roles held and vacant in `scope` and its subtree: assignments as on the last day of
    `year` (or today), units and accounts as today (the module's docstring says why)."""
    day = reading_day(year)
    assignments = _assignments(scope, day)
    nodes = list(OrgNode.objects.subtree_of(scope).filter(is_active=True).order_by("name"))
    units = [n for n in nodes if n.kind == NodeKind.UNIT]
    without = _without_manager(assignments, units)
    duties = dict(
        RoleDuty.objects.filter(organisation_id=scope.root_id)
        .order_by()  # the model's ordering would split the groups
        .values("role_id")
        .annotate(n=Count("pk"))
        .values_list("role_id", "n")
    )
    people = {}
    for code, user, _path, _below in assignments:
        people.setdefault(code, set()).add(user)
    roles = [r for r in Role.objects.all() if duties.get(r.pk) or people.get(r.code)]
    vacant = [r for r in roles if duties.get(r.pk) and not people.get(r.code)]
    duties_total = sum(duties.values())
    vacant_duties = sum(duties[r.pk] for r in vacant)
    holders = len(set().union(*people.values()))

    tree = reverse("organisation:node_detail", kwargs={"pk": scope.pk})
    matrix = reverse("organisation:responsibility_node", kwargs={"pk": scope.pk})
    part = Part(heading=_("Responsibility for the management system"))
    part.figures = [
        Figure(_("Units"), len(units), url=tree),
        Figure(_("Units without a unit manager"), len(without), url=matrix),
        Figure(_("Roles with duties in the responsibility matrix"), len(duties), url=matrix),
        Figure(_("Duties in the responsibility matrix"), duties_total, url=matrix),
        Figure(_("Roles with duties that no one holds"), len(vacant), url=matrix),
        Figure(_("Duties of a role that no one holds"), vacant_duties, url=matrix),
        Figure(_("People holding a role"), holders, url=matrix),
    ]
    part.tables = [
        Table(
            caption=_("The units directly below: their manager and the units without one"),
            columns=[
                _("Unit"),
                _("Managers appointed"),
                _("Units"),
                _("Units without a unit manager"),
            ],
            rows=[
                _child_row(child, units, without, assignments)
                for child in nodes
                if child.parent_id == scope.pk
            ],
        ),
        Table(
            caption=_("The responsibility matrix: duties per role and the people holding it"),
            columns=[_("Role"), _("Duties"), _("People holding the role")],
            rows=[[r.label, duties.get(r.pk, 0), len(people.get(r.code, ()))] for r in roles],
        ),
    ]
    part.text = [
        _("Role holders as on %(day)s; the units and the user accounts as they are today.")
        % {"day": day.isoformat()}
    ]
    # With nothing to count, a rule "none missing" would be met by default: left unread.
    part.facts = {
        "units": len(units),
        "units_without_manager": len(without) if units else None,
        "duties": duties_total,
        "roles_without_holder": len(vacant) if duties_total else None,
        "duties_without_holder": vacant_duties if duties_total else None,
    }
    return part
