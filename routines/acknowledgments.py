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
statistics `version_statistics(version, units=None)`, `overview(unit, routines)` and
`unit_statistics(unit, routines)`. The statistics read how many were asked from the counts the
database keeps (AcknowledgmentCount) and who has not acknowledged from the open tasks alone.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment, User
from audit.services import record_event
from core.queries import AnyOf
from routines.models import VIEW, Acknowledgment, AcknowledgmentCount, Routine, VersionState


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
    # Only the task's own row: locking its version too would make a round adding tasks to the
    # version (whose inserts check the version) and this acknowledgment (which then updates
    # the count the round's insert holds) wait on each other crosswise.
    ack = (
        Acknowledgment.objects.select_for_update(of=("self",))
        .select_related("version__routine")
        .get(pk=ack.pk)
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
    missing: list = field(default_factory=list)  # the first MISSING_SHOWN of them (Person), by name
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


def _asked(version_ids, unit_ids, key):
    """{version_id or unit_id (`key`): people asked}, summed from the kept counts
    (AcknowledgmentCount) of these versions, in these units (None: in any)."""
    counts = AcknowledgmentCount.objects.filter(AnyOf("version_id", version_ids))
    if unit_ids is not None:
        counts = counts.filter(AnyOf("unit_id", unit_ids))
    return dict(counts.values_list(key).annotate(asked=Sum("asked")).order_by())


def _counts_both(version_ids, unit_ids):
    """({version_id: (asked, open)}, {unit_id: (asked, open)}) of these versions in these
    units, from the kept counts. PostgreSQL sums both in one pass over the counts' covering
    index (GROUPING SETS); elsewhere two queries."""
    by_version, by_unit = {}, {}
    if not version_ids or not unit_ids:
        return by_version, by_unit
    if connection.vendor != "postgresql":
        counts = AcknowledgmentCount.objects.filter(
            AnyOf("version_id", version_ids), AnyOf("unit_id", unit_ids)
        ).order_by()
        sums = {"asked_sum": Sum("asked"), "open_sum": Sum("open")}
        for key, found in (("version_id", by_version), ("unit_id", by_unit)):
            for row in counts.values(key).annotate(**sums):
                found[row[key]] = (row["asked_sum"], row["open_sum"])
        return by_version, by_unit
    table = connection.ops.quote_name(AcknowledgmentCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT version_id, unit_id, SUM(asked), SUM(open) FROM {table} "
            "WHERE version_id = ANY(%s::bigint[]) AND unit_id = ANY(%s::bigint[]) "
            "GROUP BY GROUPING SETS ((version_id), (unit_id))",
            [list(version_ids), list(unit_ids)],
        )
        for version_id, unit_id, asked, still_open in cursor.fetchall():
            if unit_id is None:
                by_version[version_id] = (asked, still_open)
            else:
                by_unit[unit_id] = (asked, still_open)
    return by_version, by_unit


def _waiting(version_ids, unit_ids):
    """The open tasks of these versions, in these units (None: in any), as two maps of who
    has not acknowledged: {version_id: [user_id]} and {unit_id: [user_id]}, one id per open
    task, read from the partial index of open tasks alone.

    A department has tens of thousands of open tasks. Fetched as rows, a hundred at a time,
    they took longer than the query, and the row tuples kept the garbage collector busy long
    after; PostgreSQL groups them itself and hands over an array of people per version and
    per unit."""
    rows = Acknowledgment.objects.filter(
        AnyOf("version_id", version_ids), acknowledged_at__isnull=True
    )
    if unit_ids is not None:
        rows = rows.filter(AnyOf("unit_id", unit_ids))
    sql, params = (
        rows.values_list("version_id", "unit_id", "user_id").order_by().query.sql_with_params()
    )
    by_version, by_unit = defaultdict(list), defaultdict(list)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT version_id, unit_id, array_agg(user_id) FROM ({sql}) AS open_tasks "
                "GROUP BY GROUPING SETS ((version_id), (unit_id))",
                params,
            )
            for version_id, unit_id, user_ids in cursor.fetchall():
                if unit_id is None:
                    by_version[version_id] = user_ids
                else:
                    by_unit[unit_id] = user_ids
            return by_version, by_unit
        cursor.execute(sql, params)
        found = cursor.fetchall()
    for version_id, unit_id, user_id in found:
        by_version[version_id].append(user_id)
        by_unit[unit_id].append(user_id)
    return by_version, by_unit


def _tally(asked, waiting, **kwargs):
    """A Tally of `asked` tasks of which `waiting` (user ids, one per open task) are open."""
    return Tally(asked=asked, acknowledged=asked - len(waiting), **kwargs)


def _per_unit(asked, waiting, nodes):
    """(Tally, set of the people who have not acknowledged) per unit with tasks, in the order
    of the tree."""
    pairs = []
    for unit_id, count in asked.items():
        ids = waiting.get(unit_id, ())
        pairs.append((_tally(count, ids, unit=nodes[unit_id]), set(ids)))
    return sorted(pairs, key=lambda pair: pair[0].unit.path)


class RoutineRow(NamedTuple):
    """A routine in force as the overview lists it: a department's overview lists hundreds, and
    model instances of them cost more than the rest of the list."""

    pk: int
    title: str
    current_version_id: int
    unit_name: str


class Person(NamedTuple):
    """Someone who has not acknowledged, as the overview names them: read as four values, since
    a department's overview names over a thousand people and a full User each cost more than
    the rest of the statistics. str() is the User's."""

    pk: int
    username: str
    first_name: str
    last_name: str

    def get_full_name(self):
        return User.get_full_name(self)

    def __str__(self):
        return User.__str__(self)


def _name_missing(pairs, everyone):
    """Give each (tally, user ids without repeats) its count and the first MISSING_SHOWN
    people by name. One query for all of them: the names of `everyone` who has not
    acknowledged (the union of the ids)."""
    people = {}
    if everyone:
        rows = (
            User.objects.filter(AnyOf("pk", everyone))
            .values_list("pk", "username", "first_name", "last_name")
            .order_by()
        )
        people = {row[0]: Person(*row) for row in rows}
    # Someone removed since the tasks were read sorts last: counted, not named.
    rank = dict.fromkeys(everyone, len(people))
    rank.update((person.pk, i) for i, person in enumerate(sorted(people.values(), key=_by_name)))
    by_name = rank.__getitem__
    for tally, ids in pairs:
        tally.missing_count = len(ids)
        shown = sorted(ids, key=by_name)[:MISSING_SHOWN]
        tally.missing = [people[pk] for pk in shown if pk in people]


def version_statistics(version, units=None):
    """Per unit: asked / acknowledged / rate and who has not, for one version, ordered by the
    units' place in the tree.

    `units` limits the count to these nodes and everything below them (the manager's scope).
    """
    from organisation.models import OrgNode

    unit_ids = None
    if units is not None:
        unit_ids = list(OrgNode.objects.filter(_within(units)).values_list("pk", flat=True))
    asked = _asked([version.pk], unit_ids, "unit_id")
    _by_version, waiting = _waiting([version.pk], unit_ids)
    pairs = _per_unit(asked, waiting, OrgNode.objects.in_bulk(list(asked)))
    _name_missing(pairs, set().union(*(ids for _tally, ids in pairs)))
    tallies = [tally for tally, _ids in pairs]
    for tally in tallies:
        tally.version = version
    return tallies


def _within(units):
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(path__startswith=unit.path)
    return q


def _counted(asked_open, **kwargs):
    asked, still_open = asked_open
    return Tally(asked=asked, acknowledged=asked - still_open, missing_count=still_open, **kwargs)


def overview(unit, routines):
    """The manager's overview of a unit (and the units below it): per routine in force and
    per unit, asked / acknowledged / rate and how many have not, and the unit's total.

    `routines` is a queryset of routines (visible to the manager). Returns (rows, total,
    per_unit, named): rows a list of (RoutineRow, Tally) in the queryset's order, per_unit the
    Tallies ordered by the units' place in the tree, `named` whether the Tallies name who has
    not acknowledged. The figures are the kept counts (asked and open per version and unit).
    Names are read when the overview covers one unit with tasks (a unit manager's): from its
    open tasks, the first MISSING_SHOWN by name per routine. A department's overview of
    hundreds of routines and units counts instead, and each unit links to its own overview,
    where the names are. Three queries, five with names, whatever the number of rows.
    """
    from organisation.models import OrgNode

    routines = [
        RoutineRow(*row)
        for row in routines.filter(current_version__isnull=False).values_list(
            "pk", "title", "current_version_id", "unit__name"
        )
    ]
    version_ids = [r.current_version_id for r in routines]
    # The units by id: the planner estimates a path prefix badly and would walk the versions.
    nodes = {
        node.pk: node
        for node in OrgNode.objects.filter(path__startswith=unit.path).only("name", "path")
    }
    by_version, by_unit = _counts_both(version_ids, list(nodes))
    none = (0, 0)
    pairs = [_counted(by_version.get(vid, none), unit=unit) for vid in version_ids]
    per_unit = sorted(
        (_counted(counts, unit=nodes[unit_id]) for unit_id, counts in by_unit.items()),
        key=lambda tally: tally.unit.path,
    )
    total = Tally(unit=unit)
    for tally in per_unit:
        total.asked += tally.asked
        total.acknowledged += tally.acknowledged
    total.missing_count = total.waiting
    named = len(per_unit) <= 1
    if named and per_unit:
        _name_the_unit(version_ids, per_unit[0], pairs, total)
    rows = list(zip(routines, pairs, strict=True))
    return rows, total, per_unit, named


def _name_the_unit(version_ids, unit_tally, pairs, total):
    """Who has not acknowledged in the one unit with tasks: per routine and in all."""
    waiting, _by_unit = _waiting(version_ids, [unit_tally.unit.pk])
    # A version's open tasks are one per person: its list of ids has no repeats.
    named = [(tally, waiting.get(vid, ())) for tally, vid in zip(pairs, version_ids, strict=True)]
    everyone = set().union(*(ids for _tally, ids in named))
    _name_missing([*named, (total, everyone), (unit_tally, everyone)], everyone)


def unit_statistics(unit, routines):
    """For a unit (and the units below it), per routine in force: asked / acknowledged / rate
    and who has not. `routines` is a queryset of routines (visible to the manager); the answer
    is a list of (routine, Tally) in the queryset's order, plus the unit's total Tally."""
    rows, total, _per_unit_tallies, _named = overview(unit, routines)
    found = Routine.objects.in_bulk([row.pk for row, _tally in rows])
    return [(found[row.pk], tally) for row, tally in rows], total
