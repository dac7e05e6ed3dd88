"""Routines at scale for the benchmarks: `manage.py generate_routine_scale_data`.

Runs on the organisation and the people of `generate_scale_data` ("Skalkommunen", which must
exist): about 300 routines of the board, the administration and the departments, and 2 of each
unit; each with 1–4 versions (the last published, the earlier ones superseded), a Swedish text
of a few paragraphs built from word lists (so the full-text search has something to find) and
`search_text` filled as the services fill it; `next_review_on` spread so some reviews are
overdue; and a read-and-acknowledge task for every person in scope of every published version
(the rules of routines.acknowledgments.start_round), a share acknowledged, the rest open.

People: the deviation generator makes one staff member per unit, which gives a unit manager
almost nobody to follow up. `--staff-per-unit` (5 unless told) adds that many staff members to
each unit and operation (users "skala-r…", unusable passwords), which is what makes the
acknowledgments reach a large municipality's order (1–2 million rows); 0 adds nobody.

Speed: rows are written with bulk_create in batches, not through the services (the round of
one version for everyone takes seconds; 3,000 of them would take an hour). Not written: events
(record_event) and e-mail. PostgreSQL indexes the published texts by itself (the GIN expression
index of 0002_search); on SQLite each published version goes into the FTS table through
routines.search.index_version. Runs in one transaction; refuses to run twice unless `--clear`,
which removes the routines of Skalkommunen and the added staff first (so does `--remove`
alone: run it before `generate_scale_data --clear`, whose nodes the routines would hold).
Refuses to run in production.
"""

import random
import time
from datetime import datetime, timedelta
from datetime import time as day_time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from deviations.management.commands.generate_scale_data import ROOT_NAME, purge
from legal.clocks import local_zone
from legal.models import RegulationSection
from organisation.models import NodeKind, OrgNode
from routines import search
from routines.acknowledgments import _counts
from routines.models import (
    VIEW,
    Acknowledgment,
    ApprovalAuthority,
    BodyFormat,
    ReferenceSequence,
    Routine,
    RoutineVersion,
    VersionState,
    VersionTransition,
)
from routines.services_base import REFERENCE_FORMAT, add_months, search_text
from routines.text import sanitise

STAFF_PREFIX = "skala-r"
BATCH = 5_000
# A word in most generated texts: the benchmark searches for it.
COMMON_WORD = "dokumentation"
# Shares of the organisation-level routines by level (the rest go to the departments).
BOARD_SHARE, ADMINISTRATION_SHARE = 0.05, 0.35
VERSION_WEIGHTS = (35, 30, 20, 15)  # 1, 2, 3 or 4 versions
INTERVALS = ((12, 70), (24, 20), (36, 10))  # review interval in months, weight

TOPICS = [
    "läkemedelshantering",
    "delegering av hälso- och sjukvårdsuppgifter",
    "nyckelhantering",
    "fallprevention",
    "basala hygienrutiner",
    "dokumentation i social journal",
    "avvikelsehantering",
    "rapportering enligt lex Sarah",
    "rapportering enligt lex Maria",
    "personuppgiftsincidenter",
    "orosanmälan om barn",
    "brand och utrymning",
    "skydds- och begränsningsåtgärder",
    "palliativ vård i livets slutskede",
    "nutrition och måltider",
    "munhälsa",
    "förebyggande av trycksår",
    "hjälpmedel och medicintekniska produkter",
    "trygghetslarm",
    "hantering av brukares pengar",
    "genomförandeplan",
    "introduktion av nyanställda",
    "sekretess och tystnadsplikt",
    "samverkan vid in- och utskrivning",
    "hot och våld",
    "synpunkter och klagomål",
    "smitta och utbrott",
    "tvätt och städning",
    "dödsfall",
    "våld i nära relationer",
    "ensamarbete",
    "kontinuitet i hemtjänsten",
    "överlämning mellan arbetspass",
    "nattillsyn",
    "social dokumentation vid insatser",
    "bemötande och värdegrund",
    "kris och katastrof",
    "informationssäkerhet",
    "trafiksäkerhet vid resor",
    "arkivering och gallring",
]
TITLE_FORMS = ["Rutin för {}", "Riktlinje för {}", "Instruktion för {}", "Rutin vid {}"]
HEADINGS = ["Syfte", "Ansvar", "Tillvägagångssätt", "Dokumentation", "Uppföljning"]
SUBJECTS = [
    "Personalen",
    "Enhetschefen",
    "Sjuksköterskan",
    "Kontaktpersonen",
    "Den som upptäcker händelsen",
    "Undersköterskan",
    "Handläggaren",
    "Arbetsterapeuten",
    "Varje medarbetare",
    "Ansvarig chef",
]
VERBS = [
    "ansvarar för",
    "dokumenterar",
    "följer upp",
    "informerar om",
    "säkerställer",
    "går igenom",
    "rapporterar",
    "kontrollerar",
    "planerar",
    "samordnar",
]
OBJECTS = [
    "läkemedelshanteringen",
    "dokumentationen i journalen",
    "genomförandeplanen",
    "brukarens önskemål",
    "avvikelser och risker",
    "överlämningen mellan arbetspassen",
    "delegeringen av hälso- och sjukvårdsuppgifter",
    "nyckelhanteringen",
    "larmet och tillsynen",
    "hygienrutinerna",
    "sekretessen",
    "anhörigas synpunkter",
    "fallriskbedömningen",
    "nutritionen",
    "samverkan med regionen",
]
TAILS = [
    "",
    " varje vecka",
    " vid varje besök",
    " enligt gällande föreskrifter",
    " i verksamhetssystemet",
    " tillsammans med brukaren",
    " innan arbetspasset avslutas",
    " och meddelar enhetschefen vid brister",
    " enligt SOSFS 2011:9",
    " minst en gång per år",
]
CHANGES = [
    "Ansvarsfördelningen är förtydligad.",
    "Anpassad till nya föreskrifter.",
    "Checklistan är uppdaterad.",
    "Språket är förenklat och kontaktuppgifterna rättade.",
]


class Command(BaseCommand):
    help = (
        "Generate routines, versions and acknowledgments at scale on the Skalkommunen of "
        "generate_scale_data, for benchmarks (not in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", type=int, default=300, help="Board-to-department.")
        parser.add_argument("--per-unit", type=int, default=2)
        parser.add_argument("--staff-per-unit", type=int, default=5)
        parser.add_argument("--seed", type=int, default=4)
        parser.add_argument("--clear", action="store_true", help="Replace an earlier run.")
        parser.add_argument(
            "--remove", action="store_true", help="Only remove an earlier run, then stop."
        )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("generate_routine_scale_data never runs in production.")
        if connection.vendor not in ("postgresql", "sqlite"):
            raise CommandError("generate_routine_scale_data supports PostgreSQL and SQLite.")
        if min(options["organisation"], options["per_unit"], options["staff_per_unit"]) < 0:
            raise CommandError("The counts cannot be negative.")
        root = OrgNode.objects.filter(parent=None, name=ROOT_NAME).first()
        if root is None:
            raise CommandError(f"No {ROOT_NAME}: run `manage.py generate_scale_data` first.")
        self.root = root
        self.rng = random.Random(options["seed"])
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.tz = local_zone()
        self.counts = {}
        started = time.monotonic()
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            self.skip_key_checks()
            existing = Routine.objects.filter(unit__path__startswith=root.path)
            if options["remove"] or options["clear"]:
                self.clear(root, existing)
                self.stdout.write(f"Removed the earlier routines ({self._since(started)}).")
                if options["remove"]:
                    return
            elif existing.exists():
                raise CommandError(
                    f"{ROOT_NAME} already has {existing.count()} routines; "
                    "run again with --clear to replace them."
                )
            self.load(root)
            self.add_staff(options["staff_per_unit"])
            self.stdout.write(f"People: {len(self.people)} in scope ({self._since(started)}).")
            self.routines(options["organisation"], options["per_unit"])
            self.stdout.write(
                f"Routines and versions written ({self._since(started)}); acknowledgments next."
            )
            self.acknowledgments()
            self.index()
        self.stdout.write(f"Committed ({self._since(started)}).")
        self.analyse()
        self.stdout.write(f"Analysed ({self._since(started)}).")
        summary = ", ".join(f"{name}: {count}" for name, count in self.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Done in {self._since(started)}. {summary}"))

    @staticmethod
    def _since(started):
        return f"{time.monotonic() - started:.1f} s"

    def skip_key_checks(self):
        """As generate_scale_data: skip the foreign-key triggers for this transaction when the
        database user may (every row refers to rows that exist)."""
        if connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        except Exception:  # noqa: BLE001 - not allowed: the checks simply run
            self.stdout.write("Foreign keys are checked at commit (not a superuser).")

    def clear(self, root, routines):
        if connection.vendor == "sqlite":
            for version in RoutineVersion.objects.filter(routine__in=routines):
                search.unindex_version(version)
        purge(routines)
        RoleAssignment.objects.filter(user__username__startswith=STAFF_PREFIX)._raw_delete(
            RoleAssignment.objects.db
        )
        purge(User.objects.filter(username__startswith=STAFF_PREFIX))

    def analyse(self):
        """Statistics for the planner and the visibility map (index-only counts) now, not when
        autovacuum gets round to it in the middle of a benchmark."""
        if connection.vendor != "postgresql":
            return
        models = [
            Routine,
            Routine.roles.through,
            Routine.legal_sections.through,
            RoutineVersion,
            VersionTransition,
            Acknowledgment,
            User,
            RoleAssignment,
        ]
        with connection.cursor() as cursor:
            for model in models:
                table = connection.ops.quote_name(model._meta.db_table)
                verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                cursor.execute(f"{verb} {table}")

    def _add(self, name, count):
        self.counts[name] = self.counts.get(name, 0) + count

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
        role = self.roles.get("staff_member")
        reporting = self.by_kind.get(NodeKind.UNIT, []) + self.by_kind.get(NodeKind.OPERATION, [])
        if per_node and role is not None:
            unusable = make_password(None)
            people = [
                (node, f"{STAFF_PREFIX}{i:04d}-{k}")
                for i, node in enumerate(reporting, start=1)
                for k in range(1, per_node + 1)
            ]
            users = User.objects.bulk_create(
                (
                    User(
                        username=name,
                        first_name=self.rng.choice(FIRST_NAMES),
                        last_name=f"Personal {name[len(STAFF_PREFIX) :]}",
                        title="Undersköterska",
                        email=f"{name}@skalkommunen.invalid",
                        password=unusable,
                    )
                    for _node, name in people
                ),
                batch_size=BATCH,
            )
            RoleAssignment.objects.bulk_create(
                (
                    RoleAssignment(user=user, role=role, node=node, include_subtree=False)
                    for user, (node, _name) in zip(users, people, strict=True)
                ),
                batch_size=BATCH,
            )
            self._add("users", len(users))
            self._add("role assignments", len(users))
        self.load_people()

    def load_people(self):
        """The active assignments that bring people into a routine's scope, with the filters
        of routines.acknowledgments._assignments_in, grouped by every node at or above them."""
        rows = (
            RoleAssignment.objects.active()
            .filter(
                user__is_active=True,
                node__is_active=True,
                role__permissions__key=VIEW,
                node__path__startswith=self.root.path,
            )
            .values_list("user_id", "role_id", "node_id", "node__path", "include_subtree")
            .distinct()
        )
        self.below = {}  # path → assignments at or below the node
        self.subtree_at = {}  # path → subtree assignments at the node
        people = set()
        for user_id, role_id, node_id, path, subtree in rows:
            row = (user_id, role_id, node_id, path)
            people.add(user_id)
            for prefix in _prefixes(path):
                self.below.setdefault(prefix, []).append(row)
            if subtree:
                self.subtree_at.setdefault(path, []).append(row)
        self.people = people

    def in_scope(self, path, role_ids):
        """{user_id: unit_id}: routines.acknowledgments.in_scope on the loaded assignments."""
        candidates = list(self.below.get(path, ()))
        for prefix in _prefixes(path)[:-1]:
            candidates.extend(self.subtree_at.get(prefix, ()))
        chosen = {}
        for user_id, role_id, node_id, node_path in candidates:
            if not _counts(path, role_ids, role_id, node_path):
                continue
            distance = abs(len(node_path) - len(path))
            best = chosen.get(user_id)
            if best is None or distance < best[0] or (distance == best[0] and node_id < best[1]):
                chosen[user_id] = (distance, node_id)
        return {user_id: node_id for user_id, (_d, node_id) in chosen.items()}

    # -- routines and versions ----------------------------------------------------------------

    def places(self, organisation, per_unit):
        """The node of each routine: board, administration, departments (by their size), units."""
        rng = self.rng
        boards = self.by_kind.get(NodeKind.BOARD, [])
        admins = self.by_kind[NodeKind.ADMINISTRATION]
        departments = self.by_kind[NodeKind.DEPARTMENT]
        units = self.by_kind[NodeKind.UNIT]
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

    def routines(self, organisation, per_unit):
        rng = self.rng
        sequence, _created = ReferenceSequence.objects.get_or_create(pk=1)
        number = max(sequence.last, self._highest_reference())
        places = self.places(organisation, per_unit)
        titles = {}
        routines, plans = [], []
        for node in places:
            number += 1
            interval = rng.choices([m for m, _w in INTERVALS], [w for _m, w in INTERVALS])[0]
            title = self.title(node, titles)
            owner, approver = self.owner_and_approver(node)
            routine = Routine(
                reference=REFERENCE_FORMAT.format(number),
                title=title,
                unit=node,
                owner_id=owner,
                review_interval_months=interval,
                requires_acknowledgment=rng.random() < 0.9,
            )
            routines.append(routine)
            plans.append((approver, self.version_dates(interval)))
        sequence.last = number
        sequence.save(update_fields=["last"])
        for routine, (_approver, dates) in zip(routines, plans, strict=True):
            routine.created_at = dates[0][0]
            routine.next_review_on = dates[-1][3]
        Routine.objects.bulk_create(routines, batch_size=BATCH)
        self._add("routines", len(routines))
        self.roles_and_sections(routines)
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
                    body=self.body(routine.title, topic, index),
                    change_summary="" if index == 1 else rng.choice(CHANGES),
                    created_by_id=routine.owner_id,
                    created_at=created,
                    approved_by_id=approver,
                    approved_at=approved,
                    approved_as=self.approved_as(routine.unit),
                    effective_from=timezone.localtime(published, self.tz).date(),
                    published_at=published,
                )
                if routine.unit.kind == NodeKind.BOARD:
                    version.board_paragraph = f"§ {rng.randrange(1, 200)}"
                    version.board_registry_number = f"SN {published.year}/{rng.randrange(1, 900)}"
                    version.board_decided_on = timezone.localtime(approved, self.tz).date()
                if not last:
                    version.ended_at = dates[index][2]
                    version.end_reason = _("Superseded by version %(number)s.") % {
                        "number": index + 1
                    }
                version.search_text = search_text(version)
                versions.append(version)
        RoutineVersion.objects.bulk_create(versions, batch_size=1_000)
        self._add("versions", len(versions))
        current = {}
        for routine in routines:
            routine.version_rows = []
        for version in versions:
            version.routine.version_rows.append(version)
            if version.state == VersionState.PUBLISHED:
                version.routine.current_version = version
                current[version.routine_id] = version
        Routine.objects.bulk_update(routines, ["current_version"], batch_size=500)
        self.transitions(versions)
        self.all_routines, self.versions, self.current = routines, versions, current

    def _highest_reference(self):
        top = Routine.objects.aggregate(top=Max("reference"))["top"] or ""
        digits = top.rpartition("-")[2]
        return int(digits) if digits.isdigit() else 0

    def title(self, node, seen):
        """A title from the word lists, unique within the node."""
        rng = self.rng
        used = seen.setdefault(node.pk, set())
        for _attempt in range(50):
            title = rng.choice(TITLE_FORMS).format(rng.choice(TOPICS))
            if node.kind in (NodeKind.UNIT, NodeKind.OPERATION):
                title = f"Lokal {title[0].lower()}{title[1:]}"
            if title not in used:
                break
        else:
            title = f"{title} ({len(used) + 1})"
        used.add(title)
        return title[0].upper() + title[1:]

    def owner_and_approver(self, node):
        """The node's manager owns its routines; the role of the level's approval authority
        approves (administration manager for the board and the administration)."""
        if node.kind in (NodeKind.UNIT, NodeKind.OPERATION):
            owner = self.managers.get((node.pk, "unit_manager"))
        elif node.kind == NodeKind.DEPARTMENT:
            owner = self.managers.get((node.pk, "department_manager"))
        else:
            admin = self.by_kind[NodeKind.ADMINISTRATION][0]
            owner = self.managers.get((admin.pk, "quality_developer")) or self.managers.get(
                (admin.pk, "administration_manager")
            )
        authority = self.authority.get(node.kind)
        approver = None
        if authority is not None and authority.role_id is not None:
            for candidate in self._ancestors(node):
                approver = self.managers.get((candidate.pk, authority.role.code))
                if approver:
                    break
        if owner is None:
            raise CommandError(f"Nobody manages {node}: run generate_scale_data again.")
        return owner, approver or owner

    def _ancestors(self, node):
        """The node and the nodes above it, nearest first (the administration for the board)."""
        chain = [self.nodes.get(int(seg)) for seg in reversed(_segments(node.path))]
        if node.kind == NodeKind.BOARD:
            chain += self.by_kind[NodeKind.ADMINISTRATION]
        return [n for n in chain if n is not None]

    def approved_as(self, node):
        authority = self.authority.get(node.kind)
        if authority is None or authority.role is None:
            return ""
        return authority.role.label[:120]

    def version_dates(self, interval):
        """(created, approved, published, next review) of each version, oldest first: the
        current one published so that its review falls between three months ago and one
        interval ahead (some overdue), the earlier ones 6 to 30 months apart."""
        rng = self.rng
        count = rng.choices(range(1, len(VERSION_WEIGHTS) + 1), VERSION_WEIGHTS)[0]
        review = self.today + timedelta(days=rng.randrange(-90, interval * 30))
        day = min(add_months(review, -interval), self.today)
        published = [self._moment(day)]
        for _step in range(count - 1):
            day -= timedelta(days=rng.randrange(180, 900))
            published.append(self._moment(day))
        published.reverse()
        dates = []
        for at in published:
            approved = at - timedelta(days=rng.randrange(0, 10), hours=rng.randrange(1, 8))
            created = approved - timedelta(days=rng.randrange(7, 60))
            dates.append((created, approved, at, review))
        return dates

    def _moment(self, day):
        at = datetime.combine(day, day_time(8 + self.rng.randrange(8)), tzinfo=self.tz)
        at += timedelta(minutes=self.rng.randrange(60))
        return min(at, self.now - timedelta(minutes=1))

    def body(self, title, topic, number):
        """A few paragraphs under the usual headings; a later version changes a sentence."""
        rng = self.rng
        parts = [f"<p>{title} gäller för all personal som arbetar med {topic}.</p>"]
        for heading in rng.sample(HEADINGS, rng.randrange(3, len(HEADINGS) + 1)):
            parts.append(f"<h2>{heading}</h2>")
            if heading == "Tillvägagångssätt":
                steps = "".join(f"<li>{self.sentence()}</li>" for _i in range(rng.randrange(3, 6)))
                parts.append(f"<ol>{steps}</ol>")
            else:
                sentences = " ".join(self.sentence() for _i in range(rng.randrange(2, 5)))
                parts.append(f"<p>{sentences}</p>")
        if number > 1:
            parts.append(f"<p>Version {number}: {rng.choice(CHANGES)}</p>")
        return sanitise("".join(parts))

    def sentence(self):
        rng = self.rng
        return (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}."
        )

    def roles_and_sections(self, routines):
        """Some routines name the roles they are for; some cite legal sections."""
        rng = self.rng
        staff = self.roles.get("staff_member")
        codes = ("unit_manager", "department_manager")
        managers = [self.roles[c] for c in codes if c in self.roles]
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
            if self.sections and rng.random() < 0.3:
                for pk in rng.sample(self.sections, min(len(self.sections), rng.randrange(1, 3))):
                    section_rows.append(Sections(routine_id=routine.pk, regulationsection_id=pk))
        Roles.objects.bulk_create(role_rows, batch_size=BATCH)
        Sections.objects.bulk_create(section_rows, batch_size=BATCH)
        self._add("routine roles", len(role_rows))
        self._add("legal references", len(section_rows))

    def transitions(self, versions):
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
        self._add("version transitions", len(rows))

    # -- acknowledgments ----------------------------------------------------------------------

    def acknowledgments(self):
        """Every person in scope asked at each publication; most acknowledged within days (a
        version in force for long, almost all), a superseded version's stragglers left open."""
        rng, now = self.rng, self.now
        batch, started, done = [], time.monotonic(), 0
        for routine in self.all_routines:
            if not routine.requires_acknowledgment:
                continue
            people = sorted(self.in_scope(routine.unit.path, routine.role_ids).items())
            if not people:
                continue
            for version in routine.version_rows:
                asked = version.published_at
                until = version.ended_at or now
                age = (until - asked).days
                share = 0.92 if version.ended_at else min(0.95, 0.35 + 0.6 * age / 90)
                for user_id, unit_id in people:
                    acknowledged = None
                    if rng.random() < share:
                        acknowledged = asked + timedelta(hours=rng.lognormvariate(4.0, 1.2))
                        if acknowledged >= until:
                            acknowledged = None
                    batch.append(
                        Acknowledgment(
                            version_id=version.pk,
                            user_id=user_id,
                            unit_id=unit_id,
                            assigned_at=asked,
                            acknowledged_at=acknowledged,
                        )
                    )
                if len(batch) >= 10 * BATCH:
                    done += self._write_acks(batch)
                    batch = []
                    if done % 200_000 < 10 * BATCH:
                        self.stdout.write(
                            f"  {done} acknowledgments ({self._since(started)})", ending="\n"
                        )
        done += self._write_acks(batch)
        self.stdout.write(f"  {done} acknowledgments ({self._since(started)})")

    def _write_acks(self, rows):
        Acknowledgment.objects.bulk_create(rows, batch_size=BATCH)
        self._add("acknowledgments", len(rows))
        return len(rows)

    def index(self):
        """PostgreSQL: the GIN expression index covers the published versions by itself.
        SQLite: each published version into the FTS table."""
        if connection.vendor == "postgresql":
            return
        for version in self.current.values():
            search.index_version(version)


FIRST_NAMES = [
    "Anna",
    "Maria",
    "Fatima",
    "Karin",
    "Sara",
    "Amira",
    "Johan",
    "Erik",
    "Ali",
    "Lars",
    "Elin",
    "Mohammed",
    "Ida",
    "Sofia",
    "Hanna",
    "Peter",
]


def _segments(path):
    return [seg for seg in path.rstrip("/").split("/") if seg]


def _prefixes(path):
    """The paths of the node and of every node above it, top first."""
    segments = _segments(path)
    return ["".join(f"{seg}/" for seg in segments[: i + 1]) for i in range(len(segments))]
