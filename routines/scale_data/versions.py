"""The generated routines: where they sit, who owns and approves them, their versions over
the years with their steps, and the roles and legal sections they name."""

from datetime import datetime, timedelta
from datetime import time as day_time

from django.core.management.base import CommandError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.models import NodeKind
from routines.models import (
    BodyFormat,
    ReferenceSequence,
    Routine,
    RoutineVersion,
    VersionState,
    VersionTransition,
)
from routines.scale_data.people import segments
from routines.scale_data.texts import CHANGES, OBJECTS, body, title
from routines.services.base import REFERENCE_FORMAT, add_months, search_text

BATCH = 5_000
# Shares of the organisation-level routines by level (the rest go to the departments).
BOARD_SHARE, ADMINISTRATION_SHARE = 0.05, 0.35
VERSION_WEIGHTS = (35, 30, 20, 15)  # 1, 2, 3 or 4 versions
INTERVALS = ((12, 70), (24, 20), (36, 10))  # review interval in months, weight


def places(run, organisation, per_unit):
    """The node of each routine: board, administration, departments (by their size), units."""
    rng = run.rng
    boards = run.by_kind.get(NodeKind.BOARD, [])
    admins = run.by_kind[NodeKind.ADMINISTRATION]
    departments = run.by_kind[NodeKind.DEPARTMENT]
    units = run.by_kind[NodeKind.UNIT]
    board_count = round(organisation * BOARD_SHARE) if boards else 0
    admin_count = round(organisation * ADMINISTRATION_SHARE)
    places = [rng.choice(boards) for _i in range(board_count)]
    places += [rng.choice(admins) for _i in range(admin_count)]
    size = {d.pk: 1 for d in departments}
    for unit in units:
        if unit.parent_id in size:
            size[unit.parent_id] += 1
    places += rng.choices(
        departments, [size[d.pk] for d in departments], k=organisation - len(places)
    )
    for unit in units:
        places += [unit] * per_unit
    return places


def write_routines(run, organisation, per_unit):
    """The routines at their places, their versions (with their texts and steps), their
    roles and legal references; kept on `run` as all_routines, versions and current."""
    rng = run.rng
    sequence, _created = ReferenceSequence.objects.get_or_create(pk=1)
    number = max(sequence.last, highest_reference())
    nodes = places(run, organisation, per_unit)
    titles = {}
    routines, plans = [], []
    for node in nodes:
        number += 1
        interval = rng.choices([m for m, _w in INTERVALS], [w for _m, w in INTERVALS])[0]
        name = title(rng, node, titles)
        owner, approver = owner_and_approver(run, node)
        routine = Routine(
            reference=REFERENCE_FORMAT.format(number),
            title=name,
            unit=node,
            owner_id=owner,
            review_interval_months=interval,
            requires_acknowledgment=rng.random() < 0.9,
        )
        routines.append(routine)
        plans.append((approver, version_dates(run, interval)))
    sequence.last = number
    sequence.save(update_fields=["last"])
    for routine, (_approver, dates) in zip(routines, plans, strict=True):
        routine.created_at = dates[0][0]
        routine.next_review_on = dates[-1][3]
    Routine.objects.bulk_create(routines, batch_size=BATCH)
    run.add("routines", len(routines))
    roles_and_sections(run, routines)
    versions = []
    for routine, (approver, dates) in zip(routines, plans, strict=True):
        topic = rng.choice(OBJECTS)
        for index, (created, approved, published, _next) in enumerate(dates, start=1):
            last = index == len(dates)
            version = RoutineVersion(
                routine=routine,
                number=index,
                state=VersionState.PUBLISHED if last else VersionState.SUPERSEDED,
                body_format=BodyFormat.TEXT,
                body=body(rng, routine.title, topic, index),
                change_summary="" if index == 1 else rng.choice(CHANGES),
                created_by_id=routine.owner_id,
                created_at=created,
                approved_by_id=approver,
                approved_at=approved,
                approved_as=approved_as(run, routine.unit),
                effective_from=timezone.localtime(published, run.tz).date(),
                published_at=published,
            )
            if routine.unit.kind == NodeKind.BOARD:
                version.board_paragraph = f"§ {rng.randrange(1, 200)}"
                version.board_registry_number = f"SN {published.year}/{rng.randrange(1, 900)}"
                version.board_decided_on = timezone.localtime(approved, run.tz).date()
            if not last:
                version.ended_at = dates[index][2]
                version.end_reason = _("Superseded by version %(number)s.") % {"number": index + 1}
            version.search_text = search_text(version)
            versions.append(version)
    RoutineVersion.objects.bulk_create(versions, batch_size=1_000)
    run.add("versions", len(versions))
    current = {}
    for routine in routines:
        routine.version_rows = []
    for version in versions:
        version.routine.version_rows.append(version)
        if version.state == VersionState.PUBLISHED:
            version.routine.current_version = version
            current[version.routine_id] = version
    Routine.objects.bulk_update(routines, ["current_version"], batch_size=500)
    transitions(run, versions)
    run.all_routines, run.versions, run.current = routines, versions, current


def highest_reference():
    top = Routine.objects.aggregate(top=Max("reference"))["top"] or ""
    digits = top.rpartition("-")[2]
    return int(digits) if digits.isdigit() else 0


def owner_and_approver(run, node):
    """The node's manager owns its routines; the role of the level's approval authority
    approves (administration manager for the board and the administration)."""
    if node.kind in (NodeKind.UNIT, NodeKind.OPERATION):
        owner = run.managers.get((node.pk, "unit_manager"))
    elif node.kind == NodeKind.DEPARTMENT:
        owner = run.managers.get((node.pk, "department_manager"))
    else:
        admin = run.by_kind[NodeKind.ADMINISTRATION][0]
        owner = run.managers.get((admin.pk, "quality_developer")) or run.managers.get(
            (admin.pk, "administration_manager")
        )
    authority = run.authority.get(node.kind)
    approver = None
    if authority is not None and authority.role_id is not None:
        for candidate in ancestors(run, node):
            approver = run.managers.get((candidate.pk, authority.role.code))
            if approver:
                break
    if owner is None:
        raise CommandError(f"Nobody manages {node}: run generate_scale_data again.")
    return owner, approver or owner


def ancestors(run, node):
    """The node and the nodes above it, nearest first (the administration for the board)."""
    chain = [run.nodes.get(int(seg)) for seg in reversed(segments(node.path))]
    if node.kind == NodeKind.BOARD:
        chain += run.by_kind[NodeKind.ADMINISTRATION]
    return [n for n in chain if n is not None]


def approved_as(run, node):
    authority = run.authority.get(node.kind)
    if authority is None or authority.role is None:
        return ""
    return authority.role.label[:120]


def version_dates(run, interval):
    """(created, approved, published, next review) of each version, oldest first: the
    current one published so that its review falls between three months ago and one
    interval ahead (some overdue), the earlier ones 6 to 30 months apart."""
    rng = run.rng
    count = rng.choices(range(1, len(VERSION_WEIGHTS) + 1), VERSION_WEIGHTS)[0]
    review = run.today + timedelta(days=rng.randrange(-90, interval * 30))
    day = min(add_months(review, -interval), run.today)
    published = [moment(run, day)]
    for _step in range(count - 1):
        day -= timedelta(days=rng.randrange(180, 900))
        published.append(moment(run, day))
    published.reverse()
    dates = []
    for at in published:
        approved = at - timedelta(days=rng.randrange(0, 10), hours=rng.randrange(1, 8))
        created = approved - timedelta(days=rng.randrange(7, 60))
        dates.append((created, approved, at, review))
    return dates


def moment(run, day):
    at = datetime.combine(day, day_time(8 + run.rng.randrange(8)), tzinfo=run.tz)
    at += timedelta(minutes=run.rng.randrange(60))
    return min(at, run.now - timedelta(minutes=1))


def roles_and_sections(run, routines):
    """Some routines name the roles they are for; some cite legal sections."""
    rng = run.rng
    staff = run.roles.get("staff_member")
    codes = ("unit_manager", "department_manager")
    managers = [run.roles[c] for c in codes if c in run.roles]
    role_rows, section_rows = [], []
    Roles = Routine.roles.through
    Sections = Routine.legal_sections.through
    for routine in routines:
        draw = rng.random()
        if draw < 0.12 and managers:
            named = managers
        elif draw < 0.22 and staff is not None:
            named = [staff]
        else:
            named = []
        role_rows += [Roles(routine_id=routine.pk, role_id=role.pk) for role in named]
        routine.role_ids = {role.pk for role in named}
        if run.sections and rng.random() < 0.3:
            for pk in rng.sample(run.sections, min(len(run.sections), rng.randrange(1, 3))):
                section_rows.append(Sections(routine_id=routine.pk, regulationsection_id=pk))
    Roles.objects.bulk_create(role_rows, batch_size=BATCH)
    Sections.objects.bulk_create(section_rows, batch_size=BATCH)
    run.add("routine roles", len(role_rows))
    run.add("legal references", len(section_rows))


def transitions(run, versions):
    rows = []
    for version in versions:
        actor = version.approved_by_id
        rows.append(
            VersionTransition(
                version=version,
                from_state=VersionState.DRAFT,
                to_state=VersionState.APPROVED,
                actor_id=actor,
                at=version.approved_at,
            )
        )
        rows.append(
            VersionTransition(
                version=version,
                from_state=VersionState.APPROVED,
                to_state=VersionState.PUBLISHED,
                actor_id=actor,
                at=version.published_at,
            )
        )
        if version.ended_at:
            rows.append(
                VersionTransition(
                    version=version,
                    from_state=VersionState.PUBLISHED,
                    to_state=VersionState.SUPERSEDED,
                    actor_id=actor,
                    at=version.ended_at,
                    note=version.end_reason,
                )
            )
    VersionTransition.objects.bulk_create(rows, batch_size=BATCH)
    run.add("version transitions", len(rows))


# -- acknowledgments ----------------------------------------------------------------------
