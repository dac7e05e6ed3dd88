"""Read-and-acknowledge (läskvittens, SOSFS 2011:9 6 kap): who is asked, who has answered.

Who is asked to acknowledge a published version (`in_scope`): every active person with an
active role assignment that holds routines.view at the routine's node or below it. When the
routine names roles, only assignments with one of those roles count. A manager whose subtree
assignment lies above the routine's node (a department manager, for a unit's routine) is asked
only when their role is among the routine's roles: a routine for everyone at a unit is for the
unit's staff, not for every manager above it. Each person gets one task per version; its unit
is the node of the assignment that brought them in (the nearest one to the routine's node, if
several), and the manager's overview groups by that unit.

Public functions: `start_round(version, actor)`, `give_current_set(assignment)` (a new role
assignment: the tasks for the routines in force there), `acknowledge(ack, actor)`, and the
statistics `version_statistics(version, units=None)` and `unit_statistics(unit, routines)`.
"""

import heapq
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment
from audit.services import record_event
from routines.models import VIEW, Acknowledgment, Routine, VersionState


def _assignments_in(node_path):
    """Active assignments holding routines.view at or below a node, or above it with subtree."""
    ancestors = _ancestor_paths(node_path)
    return (
        RoleAssignment.objects.active()
        .filter(
            user__is_active=True,
            node__is_active=True,
            role__permissions__key=VIEW,
        )
        .filter(
            Q(node__path__startswith=node_path) | Q(include_subtree=True, node__path__in=ancestors)
        )
        .values_list("user_id", "role_id", "node_id", "node__path")
        .distinct()
    )


def _ancestor_paths(path):
    """The materialised paths of the nodes above the one with `path`."""
    segments = [seg for seg in path.rstrip("/").split("/") if seg]
    return ["".join(f"{seg}/" for seg in segments[:i]) for i in range(1, len(segments))]


def _counts(routine_path, role_ids, role_id, node_path):
    """Whether an assignment (role at node) brings its holder into the routine's scope."""
    if node_path.startswith(routine_path):
        return not role_ids or role_id in role_ids
    # A subtree assignment above the routine's node.
    return bool(role_ids) and role_id in role_ids


def in_scope(routine):
    """{user_id: unit_id} of the people asked to acknowledge the routine's versions."""
    role_ids = set(routine.roles.values_list("pk", flat=True))
    path = routine.unit.path
    chosen = {}
    for user_id, role_id, node_id, node_path in _assignments_in(path):
        if not _counts(path, role_ids, role_id, node_path):
            continue
        # The nearest assignment to the routine's node decides the unit: the shortest path
        # below it, or the deepest one above it.
        distance = abs(len(node_path) - len(path))
        best = chosen.get(user_id)
        if best is None or distance < best[0] or (distance == best[0] and node_id < best[1]):
            chosen[user_id] = (distance, node_id)
    return {user_id: node_id for user_id, (_d, node_id) in chosen.items()}


def start_round(version, actor=None):
    """Give everyone in scope a task to acknowledge `version`; returns how many were new.

    Safe to call again (the unique constraint keeps one task per person and version): a second
    call only adds the people who came into scope since.
    """
    routine = version.routine
    if version.state != VersionState.PUBLISHED or not routine.requires_acknowledgment:
        return 0
    people = in_scope(routine)
    if not people:
        return 0
    already = set(
        Acknowledgment.objects.filter(version=version, user_id__in=people).values_list(
            "user_id", flat=True
        )
    )
    now = timezone.now()
    new = [
        Acknowledgment(version=version, user_id=user_id, unit_id=unit_id, assigned_at=now)
        for user_id, unit_id in sorted(people.items())
        if user_id not in already
    ]
    Acknowledgment.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    if new:
        record_event(
            version, "routines.acknowledgment_round", actor, count=len(new), version=version.number
        )
    return len(new)


def give_current_set(assignment):
    """A new (or newly valid) role assignment: the tasks for the routines in force there.

    The routines of the assignment's node and the levels above it (those whose roles, if any,
    include the assignment's role), and, for a subtree assignment, the routines below it that
    name its role. Returns how many tasks were new.
    """
    if not assignment.is_active or not assignment.user.is_active or not assignment.node.is_active:
        return 0
    if not assignment.role.permissions.filter(key=VIEW).exists():
        return 0
    node = assignment.node
    near = Q(unit_id__in=node.ancestor_ids())
    if assignment.include_subtree:
        near |= Q(unit__path__startswith=node.path, roles=assignment.role)
    routines = (
        Routine.objects.filter(near)
        .filter(
            requires_acknowledgment=True,
            withdrawn_at__isnull=True,
            current_version__state=VersionState.PUBLISHED,
        )
        .filter(Q(roles__isnull=True) | Q(roles=assignment.role))
        .distinct()
    )
    version_ids = [routine.current_version_id for routine in routines]
    if not version_ids:
        return 0
    already = set(
        Acknowledgment.objects.filter(user=assignment.user, version_id__in=version_ids).values_list(
            "version_id", flat=True
        )
    )
    now = timezone.now()
    new = [
        Acknowledgment(version_id=version_id, user=assignment.user, unit=node, assigned_at=now)
        for version_id in version_ids
        if version_id not in already
    ]
    Acknowledgment.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def acknowledge(ack, actor):
    """The person confirms having read the version. Only one's own task; a second call is a
    no-op. A version no longer in force cannot be acknowledged."""
    if actor is None or not actor.is_authenticated or ack.user_id != actor.pk:
        raise PermissionDenied
    ack = (
        Acknowledgment.objects.select_for_update().select_related("version__routine").get(pk=ack.pk)
    )
    if ack.acknowledged_at is not None:
        ack.just_acknowledged = False
        return ack
    if ack.version.state != VersionState.PUBLISHED:
        raise ValidationError(
            _("This version is no longer in force. Read the routine's current version.")
        )
    ack.acknowledged_at = timezone.now()
    ack.save(update_fields=["acknowledged_at"])
    record_event(
        ack,
        "routines.acknowledged",
        actor,
        routine=ack.version.routine.reference,
        version=ack.version.number,
    )
    ack.just_acknowledged = True
    return ack


def open_tasks(user):
    """The person's acknowledgments still to give, for versions in force."""
    return Acknowledgment.objects.filter(
        user=user,
        acknowledged_at__isnull=True,
        version__state=VersionState.PUBLISHED,
    )


# -- statistics for managers -------------------------------------------------------------------

# How many of the people who have not acknowledged are named per row: a department's overview
# has hundreds of routines and thousands of people; the count is always complete, and the unit's
# own overview (or the reminder) reaches everyone.
MISSING_SHOWN = 10


@dataclass
class Tally:
    """Asked, acknowledged and who has not, for one unit (and one version or a set)."""

    unit: object = None
    version: object = None
    asked: int = 0
    acknowledged: int = 0
    missing: list = field(default_factory=list)  # the first MISSING_SHOWN of them, by name
    missing_count: int = 0  # how many people have not

    @property
    def rate(self):
        """Share acknowledged, in whole per cent; None when nobody was asked."""
        if not self.asked:
            return None
        return round(100 * self.acknowledged / self.asked)

    @property
    def waiting(self):
        return self.asked - self.acknowledged

    @property
    def more_missing(self):
        """The people who have not acknowledged beyond those named."""
        return self.missing_count - len(self.missing)


def _by_name(user):
    return (user.last_name.lower(), user.first_name.lower(), user.username)


def _counted(acks, key):
    """{value of `key`: tasks} of a queryset of acknowledgments (served by the index on
    version and unit alone)."""
    return dict(acks.values_list(key).annotate(asked=Count("*")).order_by())


def _open(acks):
    """(version_id, unit_id, user_id) of the open tasks (the partial index of open tasks)."""
    return list(
        acks.filter(acknowledged_at__isnull=True)
        .values_list("version_id", "unit_id", "user_id")
        .order_by()
    )


def _tallied(asked, opened, position, make):
    """Tallies by version (position 0) or unit (1) from the counts and the open tasks; returns
    the tallies and, for each, the set of people who have not acknowledged."""
    tallies = {key: make(key) for key in asked}
    people = defaultdict(set)
    for tally_key, tally in tallies.items():
        tally.asked = tally.acknowledged = asked[tally_key]
    for row in opened:
        tally = tallies.get(row[position])
        if tally is not None:
            tally.acknowledged -= 1
            people[row[position]].add(row[2])
    return tallies, people


def _name_missing(pairs):
    """Give each (tally, user ids) its count and the first MISSING_SHOWN people by name. Two
    queries for all of them: the names of everyone, the people named."""
    from accounts.models import User

    wanted = set()
    for _tally, ids in pairs:
        wanted |= ids
    names = User.objects.filter(pk__in=wanted).values_list(
        "pk", "last_name", "first_name", "username"
    )
    order = (
        sorted(names, key=lambda row: (row[1].lower(), row[2].lower(), row[3])) if wanted else []
    )
    rank = {row[0]: i for i, row in enumerate(order)}
    shown = {}
    for tally, ids in pairs:
        tally.missing_count = len(ids)
        shown[id(tally)] = heapq.nsmallest(MISSING_SHOWN, ids, key=rank.__getitem__)
    people = User.objects.in_bulk({pk for pks in shown.values() for pk in pks})
    for tally, _ids in pairs:
        tally.missing = [people[pk] for pk in shown[id(tally)]]


def _per_unit(acks, opened):
    tallies, people = _tallied(_counted(acks, "unit_id"), opened, 1, lambda _unit_id: Tally())
    _fill_units(tallies)
    return tallies, people


def by_unit(acks):
    """Per unit: asked / acknowledged / rate and who has not, for a queryset of
    acknowledgments; ordered by the unit's place in the tree. Five queries."""
    tallies, people = _per_unit(acks, _open(acks))
    _name_missing([(tally, people[unit_id]) for unit_id, tally in tallies.items()])
    return sorted(tallies.values(), key=lambda t: t.unit.path)


def version_statistics(version, units=None):
    """Per unit: asked / acknowledged / rate and who has not, for one version.

    `units` limits the count to these nodes and everything below them (the manager's scope).
    """
    rows = Acknowledgment.objects.filter(version=version)
    if units is not None:
        rows = rows.filter(_within(units))
    tallies = by_unit(rows)
    for tally in tallies:
        tally.version = version
    return tallies


def _within(units):
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(unit__path__startswith=unit.path)
    return q


def _fill_units(tallies):
    from organisation.models import OrgNode

    nodes = OrgNode.objects.in_bulk(list(tallies))
    for unit_id, tally in tallies.items():
        tally.unit = nodes[unit_id]


def overview(unit, routines):
    """The manager's overview of a unit (and the units below it): per routine in force and
    per unit, asked / acknowledged / rate and who has not, and the unit's total.

    `routines` is a queryset of routines (visible to the manager). Returns (rows, total,
    per_unit): rows a list of (routine, Tally) in the queryset's order, per_unit the Tallies
    ordered by the units' place in the tree. Seven queries whatever the number of routines and
    people.
    """
    from organisation.models import OrgNode

    routines = list(routines.filter(current_version__isnull=False).select_related("unit"))
    version_ids = [r.current_version_id for r in routines]
    # The units by id: the planner estimates a path prefix badly and would walk the versions.
    unit_ids = list(OrgNode.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    acks = Acknowledgment.objects.filter(version_id__in=version_ids, unit_id__in=unit_ids)
    opened = _open(acks)
    tallies, missing = _tallied(
        _counted(acks, "version_id"), opened, 0, lambda _version_id: Tally(unit=unit)
    )
    for version_id in version_ids:
        tallies.setdefault(version_id, Tally(unit=unit))
    total = Tally(unit=unit)
    everyone = set()
    for version_id in version_ids:
        total.asked += tallies[version_id].asked
        total.acknowledged += tallies[version_id].acknowledged
        everyone |= missing[version_id]
    per_unit, per_unit_missing = _per_unit(acks, opened)
    _name_missing(
        [(tallies[vid], missing[vid]) for vid in version_ids]
        + [(total, everyone)]
        + [(tally, per_unit_missing[uid]) for uid, tally in per_unit.items()]
    )
    rows = [(r, tallies[r.current_version_id]) for r in routines]
    return rows, total, sorted(per_unit.values(), key=lambda t: t.unit.path)


def unit_statistics(unit, routines):
    """For a unit (and the units below it), per routine in force: asked / acknowledged / rate
    and who has not. `routines` is a queryset of routines (visible to the manager); the answer
    is a list of (routine, Tally) in the queryset's order, plus the unit's total Tally."""
    rows, total, _per_unit_tallies = overview(unit, routines)
    return rows, total
