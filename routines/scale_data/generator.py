"""Running `manage.py generate_routine_scale_data`: on the Skalkommunen of
`generate_scale_data`, more staff (organisation.scale_data), then the routines and their
versions (versions, texts), then the acknowledgments (acknowledgments, people), in one
transaction."""

import random
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone, translation

from accounts.models import Role, RoleAssignment, User
from core.scale_data import analyse, purge, refuse, since, skip_key_checks
from legal.clocks import local_zone
from legal.models import RegulationSection
from organisation.models import NodeKind, OrgNode
from organisation.scale_data import ROOT_NAME, add_staff, find_root, remove_staff
from routines import search
from routines.models import (
    Acknowledgment,
    AcknowledgmentCount,
    ApprovalAuthority,
    Routine,
    RoutineVersion,
    VersionTransition,
)
from routines.scale_data.acknowledgments import acknowledgments, index
from routines.scale_data.people import Scope
from routines.scale_data.versions import write_routines

NAME = "generate_routine_scale_data"


def generate(stdout, *, organisation, per_unit, staff_per_unit, seed, clear=False, remove=False):
    """Generate the routines (`organisation` above the units, `per_unit` in each unit) and
    their acknowledgments, adding `staff_per_unit` staff to each unit and operation; `clear`
    replaces an earlier run, `remove` only removes it. Progress goes to `stdout`. Returns the
    closing line ("Done in …" with the rows written), None after `remove`."""
    refuse(NAME)
    if min(organisation, per_unit, staff_per_unit) < 0:
        raise CommandError("The counts cannot be negative.")
    root = find_root()
    if root is None:
        raise CommandError(f"No {ROOT_NAME}: run `manage.py generate_scale_data` first.")
    return Generator(stdout, root, seed).run(organisation, per_unit, staff_per_unit, clear, remove)


class Generator:
    """The state of one run: the random source, the tree, the managers and authorities, the
    counts; the modules of the package take it as `run`."""

    def __init__(self, stdout, root, seed):
        self.stdout = stdout
        self.root = root
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.tz = local_zone()
        self.counts = {}

    def run(self, organisation, per_unit, staff_per_unit, clear, remove):
        root = self.root
        started = time.monotonic()
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            skip_key_checks(self.stdout)
            existing = Routine.objects.filter(unit__path__startswith=root.path)
            if remove or clear:
                self.clear(existing)
                self.stdout.write(f"Removed the earlier routines ({since(started)}).")
                if remove:
                    return None
            elif existing.exists():
                raise CommandError(
                    f"{ROOT_NAME} already has {existing.count()} routines; "
                    "run again with --clear to replace them."
                )
            self.load(root)
            self.add_staff(staff_per_unit)
            self.stdout.write(f"People: {len(self.scope.people)} in scope ({since(started)}).")
            write_routines(self, organisation, per_unit)
            self.stdout.write(
                f"Routines and versions written ({since(started)}); acknowledgments next."
            )
            acknowledgments(self)
            index(self)
        self.stdout.write(f"Committed ({since(started)}).")
        analyse(
            [
                Routine,
                Routine.roles.through,
                Routine.legal_sections.through,
                RoutineVersion,
                VersionTransition,
                Acknowledgment,
                AcknowledgmentCount,
                User,
                RoleAssignment,
            ]
        )
        self.stdout.write(f"Analysed ({since(started)}).")
        summary = ", ".join(f"{name}: {count}" for name, count in self.counts.items())
        return f"Done in {since(started)}. {summary}"

    def add(self, name, count):
        self.counts[name] = self.counts.get(name, 0) + count

    def clear(self, routines):
        """Remove the routines (and on SQLite their search entries) and the added staff."""
        if connection.vendor == "sqlite":
            for version in RoutineVersion.objects.filter(routine__in=routines):
                search.unindex_version(version)
        purge(routines)
        remove_staff()

    # -- the tree and the people --------------------------------------------------------------

    def load(self, root):
        nodes = list(OrgNode.objects.filter(path__startswith=root.path, is_active=True))
        self.nodes = {n.pk: n for n in nodes}
        self.by_kind = {}
        for node in nodes:
            self.by_kind.setdefault(node.kind, []).append(node)
        for kind in (NodeKind.ADMINISTRATION, NodeKind.DEPARTMENT, NodeKind.UNIT):
            if not self.by_kind.get(kind):
                raise CommandError(f"{ROOT_NAME} has no {kind}: run generate_scale_data again.")
        for nodes_of_kind in self.by_kind.values():
            nodes_of_kind.sort(key=lambda n: n.path)
        self.roles = {r.code: r for r in Role.objects.all()}
        # Owner and approver of each node's routines: the manager holding the node.
        managers = {}
        for node_id, code, user_id in (
            RoleAssignment.objects.active()
            .filter(node__in=nodes, user__is_active=True)
            .values_list("node_id", "role__code", "user_id")
            .order_by("pk")
        ):
            managers.setdefault((node_id, code), user_id)
        self.managers = managers
        self.authority = {
            a.node_kind: a for a in ApprovalAuthority.objects.select_related("role").all()
        }
        self.sections = list(RegulationSection.objects.values_list("pk", flat=True)[:200])

    def add_staff(self, per_node):
        """More staff in each unit and operation, then everyone in scope loaded."""
        reporting = self.by_kind.get(NodeKind.UNIT, []) + self.by_kind.get(NodeKind.OPERATION, [])
        users = add_staff(self.rng, reporting, per_node)
        if users is not None:
            self.add("users", len(users))
            self.add("role assignments", len(users))
        self.scope = Scope(self.root)
