"""A large, realistic data set for benchmarks: `manage.py generate_scale_data`.

Builds one organisation tree, "Skalkommunen" (board → administration → departments → units,
some with operations), people in the roles the benchmark logs in as, and deviation reports
spread over the years, with tracks, steps, clocks, investigations, causes, actions and events.
The shares follow seed 004 (2023): about 6 % of the reports are not deviations; of the rest
28 % lex Sarah, 9 % personal data breaches, 3 % lex Maria and 58 % other deviations (a few
take two tracks); 19 % of lex Sarah cases and 18 % of breaches are judged serious. Most
reports are closed; the newest are still being handled.

Speed: rows are written in bulk (COPY on PostgreSQL, batched INSERTs elsewhere) with ids
reserved from the tables' sequences up front, not through the services (one report at a time
would take hours). The rows are what the services would have written, with these exceptions:
no field-level change log (django-auditlog) rows, no action steps (ActionTransition), no
timeline entries and no e-mail; events are written for reports, classifications, track steps
and judgements but not for saved investigations; a breach judged not serious has its IMY clock
stopped at the judgement (the notification module decides that case). Reference numbers
continue each year's ReferenceSequence, which is moved on at the end.

Runs in one transaction: an interrupted run leaves nothing behind. Refuses to run in
production; `--clear` removes an earlier Skalkommunen with everything in it first.
"""

import json
import math
import random
import time
from bisect import bisect
from datetime import datetime, timedelta
from itertools import accumulate
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from actions.models import Action
from actions.models import Status as ActionStatus
from audit.models import Event
from core.crypto import EncryptedTextField, encrypt
from deviations.models import (
    Cause,
    Clock,
    Deviation,
    DeviationStatus,
    Investigation,
    ReferenceSequence,
    Track,
    TrackState,
    TrackTransition,
)
from deviations.notifications import (
    AuthorityNotification,
    Channel,
    NotificationState,
    NotifyDecision,
    Recipient,
)
from deviations.services import REFERENCE
from legal.clocks import due_at, local_zone
from legal.rules import DeadlineRule, TrackKind
from organisation.demo import DEMO_PASSWORD
from organisation.models import NodeKind, OrgNode
from organisation.services import create_node

ROOT_NAME = "Skalkommunen"
USER_PREFIX = "skala-"
# The people the benchmark logs in as (password: the demo password).
BENCH_USERS = {
    "staff": "skala-personal",
    "unit_manager": "skala-enhetschef",
    "department_manager": "skala-avdelningschef",
    "quality_developer": "skala-kvalitet",
}
CHUNK = 10_000
ID_BLOCK = 100_000
YEARLY_GROWTH = 1.06

# (department, share of the units, kinds of unit)
DEPARTMENTS = [
    ("Äldreomsorg", 0.34, ["Hemtjänst", "Särskilt boende", "Korttidsboende", "Dagverksamhet"]),
    ("Funktionsstöd", 0.24, ["Gruppbostad", "Servicebostad", "Daglig verksamhet", "Assistans"]),
    ("Individ- och familjeomsorg", 0.18, ["Barn och unga", "Försörjningsstöd", "Vuxen"]),
    ("Hälso- och sjukvård", 0.14, ["Hemsjukvård", "Rehabilitering", "Sjuksköterskegrupp"]),
    ("Stöd och utveckling", 0.10, ["Boendestöd", "Stödboende", "Socialpsykiatri"]),
]

# Seed 004: 6 % not deviations; of the rest these shares (two-track reports make up the 2 %).
TRACK_MIX = [
    ((TrackKind.OTHER,), 0.58),
    ((TrackKind.LEX_SARAH,), 0.28),
    ((TrackKind.DATA_BREACH,), 0.09),
    ((TrackKind.LEX_MARIA,), 0.03),
    ((TrackKind.LEX_SARAH, TrackKind.DATA_BREACH), 0.01),
    ((TrackKind.OTHER, TrackKind.DATA_BREACH), 0.01),
]
NOT_DEVIATION_SHARE = 0.06
SERIOUS_SHARE = {TrackKind.LEX_SARAH: 0.19, TrackKind.DATA_BREACH: 0.18, TrackKind.LEX_MARIA: 0.30}
# Median hours from classification to the investigation's start, and its length in days.
START_HOURS = {
    TrackKind.LEX_SARAH: 6,
    TrackKind.LEX_MARIA: 12,
    TrackKind.DATA_BREACH: 6,
    TrackKind.OTHER: 48,
}
INVESTIGATION_DAYS = {
    TrackKind.LEX_SARAH: 20,
    TrackKind.LEX_MARIA: 30,
    TrackKind.DATA_BREACH: 7,
    TrackKind.OTHER: 8,
}
RESTRICTED = (TrackKind.LEX_SARAH, TrackKind.LEX_MARIA)
# Seed 004: missing, deficient and unknown routines are the commonest causes.
CAUSE_WEIGHTS = {
    "routine-not-known": 25,
    "routine-deficient": 20,
    "routine-missing": 15,
    "communication": 15,
    "staffing-competence": 10,
    "equipment-technology": 5,
    "organisation-leadership": 4,
    "collaboration": 3,
    "environment": 3,
}
ACTION_SHARE = 0.35
# When in the day reports are made (shifts: morning and evening peaks, quiet nights).
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 7, 7, 8, 9, 8, 7, 6, 6, 5, 4, 3, 2, 1]

DESCRIPTIONS = {
    TrackKind.OTHER: [
        "Läkemedel gavs inte vid ordinerad tid.",
        "Larmet fungerade inte under natten.",
        "Brukaren föll i badrummet.",
        "Besöket blev inte av enligt planeringen.",
        "Fel matkost serverades.",
        "Hjälpmedlet var trasigt och byttes inte ut.",
        "Dokumentationen saknades efter besöket.",
        "Nyckeln till bostaden kom bort.",
        "Överlämningen mellan passen missades.",
        "Transporten till daglig verksamhet uteblev.",
    ],
    TrackKind.LEX_SARAH: [
        "Brukaren lämnades utan tillsyn längre än planerat.",
        "Insatsen utfördes inte enligt genomförandeplanen.",
        "Brukaren bemöttes på ett kränkande sätt.",
        "Beslutad insats verkställdes inte i tid.",
        "Brukaren fick inte hjälp med personlig hygien under flera dagar.",
        "Orosanmälan handlades inte inom utsatt tid.",
    ],
    TrackKind.DATA_BREACH: [
        "Journalanteckning skickades till fel mottagare.",
        "Datorn lämnades olåst i ett gemensamt utrymme.",
        "Papper med uppgifter om brukare hittades i soprummet.",
        "E-post med känsliga uppgifter skickades okrypterat.",
        "Behörigheter togs inte bort när en medarbetare slutade.",
    ],
    TrackKind.LEX_MARIA: [
        "Fel dos insulin gavs.",
        "Trycksår upptäcktes sent.",
        "Läkemedel gavs till fel person.",
        "Fallskada där sjuksköterska inte kontaktades i tid.",
    ],
    TrackKind.NOT_DEVIATION: [
        "Önskemål om ändrad besökstid.",
        "Synpunkt på maten.",
        "Fråga om avgiften.",
    ],
}
DETAILS = [
    "",
    " Det hände under kvällspasset.",
    " Det hände i samband med ett byte av personal.",
    " Vikarie var i tjänst.",
    " Liknande händelse har inträffat tidigare.",
    " Anhörig uppmärksammade händelsen.",
]
IMMEDIATE = [
    "Kontaktade sjuksköterskan.",
    "Informerade enhetschefen.",
    "Informerade anhöriga.",
    "Extra tillsyn sattes in.",
    "Rättade till felet direkt.",
]
PLACES = ["", "", "Brukarens bostad", "Köket", "Badrummet", "Gemensamma utrymmen", "Bilen"]
REASONS = [
    "Synpunkten gäller inte kvaliteten i insatsen; den besvaras som en synpunkt.",
    "Ärendet hör till en annan verksamhet och har lämnats över dit.",
]
ACTION_TITLES = [
    "Gå igenom rutinen på arbetsplatsträffen",
    "Ta fram en ny rutin",
    "Revidera checklistan för överlämning",
    "Utbilda personalen i läkemedelshantering",
    "Se över bemanningen kvällstid",
    "Byt ut trasigt larm",
]


def _hours(rng, median, sigma=1.0):
    return timedelta(hours=rng.lognormvariate(math.log(median), sigma))


class BulkWriter:
    """Writes rows straight to the tables: COPY on PostgreSQL, batched INSERTs elsewhere.

    Rows are tuples in the order of `names` (attnames, e.g. "unit_id"); the other concrete
    fields get their defaults. Ids come from `ids()`, reserved from the table's sequence.
    """

    def __init__(self):
        self.pg = connection.vendor == "postgresql"
        if connection.vendor not in ("postgresql", "sqlite"):
            raise CommandError("generate_scale_data supports PostgreSQL and SQLite.")
        self.blocks = {}
        self.counts = {}

    def ids(self, model, count):
        """`count` fresh primary keys for `model`."""
        start, end = self.blocks.get(model, (0, 0))
        if end - start < count:
            size = max(count, ID_BLOCK)
            table = model._meta.db_table
            with connection.cursor() as cursor:
                if self.pg:
                    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
                    start = cursor.fetchone()[0]
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                        [table, start + size - 1],
                    )
                else:
                    if model not in self.blocks:
                        top = model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0
                        start = top + 1
                    # SQLite's AUTOINCREMENT moves past explicitly inserted ids by itself.
            end = start + size
        self.blocks[model] = (start + count, end)
        return range(start, start + count)

    def _fields(self, model, names):
        fields = [model._meta.get_field(name) for name in names]
        given = {f.attname for f in fields}
        rest = []
        now = timezone.now()
        for field in model._meta.concrete_fields:
            if field.attname in given or (field.primary_key and field.attname not in given):
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            elif field.empty_strings_allowed:
                value = ""
            else:
                raise CommandError(f"{model.__name__}.{field.name} needs a value")
            rest.append((field, value))
        return fields, rest

    def write(self, model, names, rows):
        if not rows:
            return
        fields, rest = self._fields(model, names)
        all_fields = fields + [f for f, _v in rest]
        extra = tuple(v for _f, v in rest)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in all_fields)
        table = connection.ops.quote_name(model._meta.db_table)
        json_at = [i for i, f in enumerate(all_fields) if isinstance(f, models.JSONField)]
        # COPY bypasses the fields: protected ones are encrypted here, as the model would.
        encrypted_at = [i for i, f in enumerate(all_fields) if isinstance(f, EncryptedTextField)]
        self.counts[model] = self.counts.get(model, 0) + len(rows)
        with connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        row = row + extra
                        if json_at or encrypted_at:
                            row = list(row)
                            for i in json_at:
                                row[i] = json.dumps(row[i])
                            for i in encrypted_at:
                                row[i] = encrypt(row[i])
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(all_fields))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
                prepared = [
                    [
                        f.get_db_prep_save(v, connection)
                        for f, v in zip(all_fields, row + extra, strict=True)
                    ]
                    for row in rows
                ]
                for start in range(0, len(prepared), 500):
                    cursor.executemany(sql, prepared[start : start + 500])


def purge(queryset):
    """Delete the rows and everything that depends on them, in SQL, without signals (the
    ORM's delete would load every row to send signals: hours for a million rows)."""
    model = queryset.model
    keys = queryset.values("pk")
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        through._base_manager.filter(**{f"{field.m2m_field_name()}__in": keys})._raw_delete(
            queryset.db
        )
    for rel in model._meta.related_objects:
        if rel.many_to_many:
            through = rel.through
            name = rel.field.m2m_reverse_field_name()
            through._base_manager.filter(**{f"{name}__in": keys})._raw_delete(queryset.db)
            continue
        dependants = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": keys})
        if rel.on_delete is models.SET_NULL:
            dependants.update(**{rel.field.name: None})
        elif rel.on_delete is not models.DO_NOTHING:
            # CASCADE, and PROTECT too: everything below the generated root is generated or
            # benchmark data, removed on purpose.
            purge(dependants)
    queryset._raw_delete(queryset.db)


class Command(BaseCommand):
    help = (
        "Generate a large, realistic data set under the organisation 'Skalkommunen' for "
        "benchmarks (not in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--deviations", type=int, default=500_000)
        parser.add_argument("--units", type=int, default=500)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--seed", type=int, default=4)
        parser.add_argument(
            "--clear", action="store_true", help="Remove an earlier Skalkommunen first."
        )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("generate_scale_data never runs in production.")
        if options["deviations"] < 1 or options["units"] < 1 or options["years"] < 1:
            raise CommandError("--deviations, --units and --years must be positive.")
        self.rng = random.Random(options["seed"])
        self.writer = BulkWriter()
        self.now = timezone.now()
        self.tz = local_zone()
        started = time.monotonic()
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            self.skip_key_checks()
            existing = OrgNode.objects.filter(parent=None, name=ROOT_NAME).first()
            if existing is not None:
                if not options["clear"]:
                    count = Deviation.objects.filter(unit__path__startswith=existing.path).count()
                    raise CommandError(
                        f"{ROOT_NAME} already exists with {count} reports; "
                        "run again with --clear to replace it."
                    )
                self.clear(existing)
                self.stdout.write(f"Removed the earlier {ROOT_NAME} ({self._since(started)}).")
            self.build_tree(options["units"])
            self.build_people()
            self.stdout.write(
                f"Tree: {len(self.units)} units, {len(self.reporting_nodes)} reporting nodes, "
                f"{len(self.users)} people ({self._since(started)})."
            )
            self.load_rules()
            self.generate(options["deviations"], options["years"])
        self.stdout.write(f"Committed ({self._since(started)}).")
        if connection.vendor == "postgresql":
            # Statistics for the planner, and the visibility map for index-only scans, now
            # rather than when autovacuum gets round to it (in the middle of a benchmark).
            with connection.cursor() as cursor:
                for model in self.writer.counts:
                    table = connection.ops.quote_name(model._meta.db_table)
                    # VACUUM cannot run in a transaction (a test's, say); ANALYZE can.
                    verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                    cursor.execute(f"{verb} {table}")
            self.stdout.write(f"Vacuumed and analysed ({self._since(started)}).")
        if "rebuild_statistics" in get_commands():
            # The statistics keep counts per unit and month; bulk rows bypass their bookkeeping.
            call_command("rebuild_statistics", stdout=self.stdout)
            self.stdout.write(f"Statistics counted ({self._since(started)}).")
        summary = ", ".join(
            f"{model._meta.model_name}: {count}" for model, count in self.writer.counts.items()
        )
        self.stdout.write(self.style.SUCCESS(f"Done in {self._since(started)}. {summary}"))

    def skip_key_checks(self):
        """On PostgreSQL, let the bulk rows skip the foreign-key triggers for this transaction
        when the database user may (a superuser, as in development): the generator reserves
        every id it refers to, and the checks at commit would take longer than the load."""
        if connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        except Exception:  # noqa: BLE001 - not allowed: the checks simply run
            self.stdout.write("Foreign keys are checked at commit (not a superuser).")

    @staticmethod
    def _since(started):
        return f"{time.monotonic() - started:.1f} s"

    # -- clearing -----------------------------------------------------------------------------

    def clear(self, root):
        nodes = OrgNode.objects.filter(path__startswith=root.path)
        node_ids = list(nodes.values_list("pk", flat=True))
        deviations = Deviation.objects.filter(unit_id__in=node_ids)
        as_text = Cast("pk", output_field=CharField())
        for model, rows in (
            (Deviation, deviations),
            (
                AuthorityNotification,
                AuthorityNotification.objects.filter(track__deviation__unit_id__in=node_ids),
            ),
            (Action, Action.objects.filter(unit_id__in=node_ids)),
            (OrgNode, nodes),
        ):
            Event.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=rows.annotate(key=as_text).values("key"),
            )._raw_delete(Event.objects.db)
        purge(deviations)
        purge(Action.objects.filter(unit_id__in=node_ids))
        RoleAssignment.objects.filter(node_id__in=node_ids).delete()
        User.objects.filter(username__startswith=USER_PREFIX).delete()
        for node in nodes.order_by("-depth"):
            node.delete()

    # -- the tree and the people --------------------------------------------------------------

    def build_tree(self, unit_count):
        rng = self.rng
        root = create_node(actor=None, kind=NodeKind.BOARD, name=ROOT_NAME)
        admin = create_node(
            actor=None, kind=NodeKind.ADMINISTRATION, name="Skalförvaltningen", parent=root
        )
        departments = DEPARTMENTS[: min(len(DEPARTMENTS), unit_count)]
        total = sum(share for _n, share, _k in departments)
        counts = [max(1, round(unit_count * share / total)) for _n, share, _k in departments]
        counts[0] += unit_count - sum(counts)
        self.root, self.admin = root, admin
        self.departments, self.units, self.reporting_nodes = [], [], []
        self.unit_of = {}
        weights = []
        for (name, _share, kinds), count in zip(departments, counts, strict=True):
            dept = create_node(actor=None, kind=NodeKind.DEPARTMENT, name=name, parent=admin)
            self.departments.append(dept)
            for i in range(max(count, 0)):
                kind_name = kinds[i % len(kinds)]
                unit = create_node(
                    actor=None,
                    kind=NodeKind.UNIT,
                    name=f"{kind_name} {i // len(kinds) + 1}",
                    parent=dept,
                )
                unit.department = dept
                self.units.append(unit)
                weight = rng.lognormvariate(0, 0.8)
                operations = []
                if rng.random() < 0.1:
                    for letter in "AB":
                        operations.append(
                            create_node(
                                actor=None,
                                kind=NodeKind.OPERATION,
                                name=f"Avdelning {letter}",
                                parent=unit,
                            )
                        )
                share = weight / (len(operations) + 1)
                for node in [unit, *operations]:
                    self.reporting_nodes.append(node)
                    self.unit_of[node.pk] = unit
                    weights.append(share)
                unit.weight = weight
        self.cum_weights = list(accumulate(weights))
        # The benchmark's unit: the busiest, so the figures are for the heaviest register.
        self.bench_unit = max(self.units, key=lambda u: u.weight)

    def build_people(self):
        roles = {r.code: r for r in Role.objects.all()}
        usable = make_password(DEMO_PASSWORD)
        people = []  # (username, first, last, title, role, node, subtree)
        for i, node in enumerate(self.reporting_nodes, start=1):
            name = BENCH_USERS["staff"] if node == self.bench_unit else f"skala-p{i:04d}"
            people.append((name, "Personal", f"{i:04d}", "Undersköterska", "staff_member", node))
        for i, unit in enumerate(self.units, start=1):
            name = BENCH_USERS["unit_manager"] if unit == self.bench_unit else f"skala-ec{i:04d}"
            people.append((name, "Enhetschef", f"{i:04d}", "Enhetschef", "unit_manager", unit))
        bench_dept = self.bench_unit.department
        for i, dept in enumerate(self.departments, start=1):
            name = BENCH_USERS["department_manager"] if dept == bench_dept else f"skala-ac{i}"
            people.append(
                (name, "Avdelningschef", str(i), "Avdelningschef", "department_manager", dept)
            )
        for name, first, title, role in (
            (
                BENCH_USERS["quality_developer"],
                "Kvalitet",
                "Kvalitetsutvecklare",
                "quality_developer",
            ),
            ("skala-utredare", "Utredare", "Utredningssekreterare", "investigation_secretary"),
            ("skala-mas", "Mas", "Medicinskt ansvarig sjuksköterska", "mas"),
            ("skala-fc", "Förvaltningschef", "Förvaltningschef", "administration_manager"),
        ):
            people.append((name, first, "Skala", title, role, self.admin))
        bench = set(BENCH_USERS.values())
        users = User.objects.bulk_create(
            User(
                username=username,
                first_name=first,
                last_name=last,
                title=title,
                email=f"{username}@skalkommunen.invalid",
                password=usable if username in bench else make_password(None),
            )
            for username, first, last, title, _role, _node in people
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(
                user=user,
                role=roles[role],
                node=node,
                include_subtree=role != "staff_member",
            )
            for user, (_u, _f, _l, _t, role, node) in zip(users, people, strict=True)
        )
        self.users = users
        by_role = {}
        for user, person in zip(users, people, strict=True):
            by_role.setdefault((person[4], person[5].pk), user)
        self.reporter = {n.pk: by_role[("staff_member", n.pk)].pk for n in self.reporting_nodes}
        self.manager = {u.pk: by_role[("unit_manager", u.pk)].pk for u in self.units}
        self.investigators = {
            TrackKind.LEX_SARAH: [
                by_role[("quality_developer", self.admin.pk)].pk,
                by_role[("investigation_secretary", self.admin.pk)].pk,
            ],
            TrackKind.LEX_MARIA: [by_role[("mas", self.admin.pk)].pk],
        }

    # -- rules and labels ---------------------------------------------------------------------

    def load_rules(self):
        self.rules = {}
        for rule in DeadlineRule.objects.in_force():
            self.rules.setdefault(rule.track, []).append(rule)
        causes = {c.code: c.pk for c in Cause.objects.filter(is_active=True)}
        self.causes = [causes[c] for c in CAUSE_WEIGHTS if c in causes] or list(causes.values())
        self.cause_cum = list(
            accumulate(CAUSE_WEIGHTS.get(code, 1) for code in causes if causes[code] in self.causes)
        )
        self.kind_label = {k: str(label) for k, label in TrackKind.choices}
        self.state_label = {k: str(label) for k, label in TrackState.choices}
        self.verdict = {True: _("serious"), False: _("not serious")}
        self.ct = {
            m: ContentType.objects.get_for_model(m).pk
            for m in (Deviation, Track, Action, AuthorityNotification)
        }
        self.recipient_label = {k: str(label) for k, label in Recipient.choices}
        self.channel_label = {k: str(label) for k, label in Channel.choices}
        self.mix_cum = list(accumulate(share for _k, share in TRACK_MIX))
        self.hour_cum = list(accumulate(HOUR_WEIGHTS))

    # -- the reports --------------------------------------------------------------------------

    def timestamps(self, count, years):
        """`count` report times over the last `years` years, growing a little every year."""
        rng, tz = self.rng, self.tz
        now_local = timezone.localtime(self.now)
        spans = []
        for year in range(now_local.year - years + 1, now_local.year + 1):
            start = datetime(year, 1, 1, tzinfo=tz)
            end = min(datetime(year + 1, 1, 1, tzinfo=tz), now_local)
            length = (end - start).total_seconds()
            spans.append((start, length, YEARLY_GROWTH ** len(spans) * length))
        cum = list(accumulate(w for _s, _l, w in spans))
        times = []
        while len(times) < count:
            start, length, _w = spans[bisect(cum, rng.random() * cum[-1])]
            moment = start + timedelta(seconds=rng.random() * length)
            if moment.weekday() >= 5 and rng.random() < 0.3:
                continue  # fewer reports at weekends
            hour = bisect(self.hour_cum, rng.random() * self.hour_cum[-1])
            moment = moment.replace(hour=hour, minute=rng.randrange(60))
            if moment >= self.now:
                continue
            times.append(moment)
        times.sort()
        return times

    def generate(self, count, years):
        started = time.monotonic()
        times = self.timestamps(count, years)
        numbers = {
            s.year: s.last
            for s in ReferenceSequence.objects.filter(year__in={t.year for t in times})
        }
        self.numbers = numbers
        for start in range(0, len(times), CHUNK):
            self.chunk(times[start : start + CHUNK])
            done = min(start + CHUNK, len(times))
            if done % 100_000 == 0 or done == len(times):
                self.stdout.write(f"  {done} reports ({self._since(started)})")
        for year, last in numbers.items():
            ReferenceSequence.objects.update_or_create(year=year, defaults={"last": last})

    def chunk(self, times):
        rng, now, w = self.rng, self.now, self.writer
        rows = {
            name: []
            for name in (
                "deviations",
                "tracks",
                "transitions",
                "clocks",
                "investigations",
                "causes",
                "investigators",
                "actions",
                "notifications",
                "events",
            )
        }
        deviation_ids = w.ids(Deviation, len(times))
        for deviation_id, reported_at in zip(deviation_ids, times, strict=True):
            self.report(rows, deviation_id, reported_at, rng, now)
        w.write(
            Deviation,
            [
                "id",
                "reference",
                "unit_id",
                "reported_by_id",
                "reported_at",
                "aware_at",
                "occurred_at",
                "place",
                "description",
                "immediate_action",
                "service_user_affected",
                "affected_person",
                "hint_lex_sarah",
                "hint_health_care",
                "hint_data_breach",
                "work_environment",
                "status",
                "closed_at",
            ],
            rows["deviations"],
        )
        w.write(
            Track,
            [
                "id",
                "deviation_id",
                "kind",
                "state",
                "reason",
                "serious",
                "serious_decided_at",
                "investigation_started_at",
                "created_at",
                "created_by_id",
                "closed_at",
            ],
            rows["tracks"],
        )
        w.write(Track.investigators.through, ["track_id", "user_id"], rows["investigators"])
        w.write(
            TrackTransition,
            ["track_id", "action", "from_state", "to_state", "actor_id", "at", "note"],
            rows["transitions"],
        )
        w.write(
            Clock,
            ["deviation_id", "track_id", "rule_id", "started_at", "due_at", "met_at"],
            rows["clocks"],
        )
        w.write(
            Investigation,
            [
                "id",
                "track_id",
                "participants",
                "cause_analysis",
                "person_informed_on",
                "person_heard_on",
                "not_informed_reason",
                "conclusion",
                "decision",
                "decided_by_id",
                "decided_at",
                "no_action_reason",
                "updated_at",
            ],
            rows["investigations"],
        )
        w.write(Investigation.causes.through, ["investigation_id", "cause_id"], rows["causes"])
        w.write(
            Action,
            [
                "source_type_id",
                "source_id",
                "source_label",
                "unit_id",
                "title",
                "owner_id",
                "due_date",
                "status",
                "completed_at",
                "planned_effect_check_date",
                "effect_checked_at",
                "effect_result",
                "effect_ok",
                "created_at",
                "created_by_id",
            ],
            rows["actions"],
        )
        w.write(
            AuthorityNotification,
            [
                "id",
                "track_id",
                "recipient",
                "state",
                "decision",
                "not_notify_reason",
                "created_at",
                "created_by_id",
                "sent_at",
                "channel",
                "sent_by_id",
                "unit_name",
                "own_reference",
            ],
            rows["notifications"],
        )
        w.write(
            Event,
            ["content_type_id", "object_id", "verb", "params", "actor_id", "created_at"],
            rows["events"],
        )

    def report(self, rows, deviation_id, reported_at, rng, now):
        node = self.reporting_nodes[bisect(self.cum_weights, rng.random() * self.cum_weights[-1])]
        unit = self.unit_of[node.pk]
        reporter, manager = self.reporter[node.pk], self.manager[unit.pk]
        year = timezone.localtime(reported_at, self.tz).year
        self.numbers[year] = number = self.numbers.get(year, 0) + 1
        if rng.random() < NOT_DEVIATION_SHARE:
            kinds = (TrackKind.NOT_DEVIATION,)
        else:
            kinds = TRACK_MIX[bisect(self.mix_cum, rng.random() * self.mix_cum[-1])][0]
        main = kinds[0]
        affected = rng.choices(("yes", "no", "unknown"), (7, 2, 1))[0]
        triaged_at = reported_at + _hours(rng, 5)
        triaged = triaged_at <= now
        case = SimpleNamespace(
            id=deviation_id,
            reference=REFERENCE.format(year=year, number=number),
            reported_at=reported_at,
            triaged_at=triaged_at,
            unit=unit,
            manager=manager,
            affected=affected,
        )
        tracks = [self.track(rows, case, kind) for kind in kinds] if triaged else []
        if not triaged:
            status, closed_at = DeviationStatus.REPORTED, None
        elif all(t["closed_at"] for t in tracks):
            status, closed_at = DeviationStatus.CLOSED, max(t["closed_at"] for t in tracks)
        else:
            status, closed_at = DeviationStatus.TRIAGED, None
        rows["deviations"].append(
            (
                deviation_id,
                case.reference,
                node.pk,
                reporter,
                reported_at,
                reported_at,
                reported_at - _hours(rng, 2, 1.2),
                rng.choice(PLACES),
                rng.choice(DESCRIPTIONS[main]) + rng.choice(DETAILS),
                rng.choice(IMMEDIATE),
                affected,
                f"Brukare {rng.randrange(100_000):05d}"
                if affected == "yes" and rng.random() < 0.6
                else "",
                TrackKind.LEX_SARAH in kinds and rng.random() < 0.6 or rng.random() < 0.03,
                TrackKind.LEX_MARIA in kinds and rng.random() < 0.8 or rng.random() < 0.05,
                TrackKind.DATA_BREACH in kinds and rng.random() < 0.7 or rng.random() < 0.02,
                rng.random() < 0.04,
                status,
                closed_at,
            )
        )
        events = rows["events"]
        ct = self.ct[Deviation]
        events.append((ct, str(deviation_id), "deviations.reported", {}, reporter, reported_at))
        for rule in self.rules.get("", ()):
            if rule.starts != "reported":
                continue
            met = triaged_at if triaged and rule.ends == "triaged" else None
            rows["clocks"].append(
                (
                    deviation_id,
                    None,
                    rule.pk,
                    reported_at,
                    due_at(reported_at, rule.amount, rule.unit),
                    met,
                )
            )
        if triaged:
            labels = ", ".join(self.kind_label[k] for k in kinds)
            events.append(
                (
                    ct,
                    str(deviation_id),
                    "deviations.triaged",
                    {"tracks": labels},
                    manager,
                    triaged_at,
                )
            )
            for track in tracks:
                for at, verb, params, actor in track["events"]:
                    events.append((ct, str(deviation_id), verb, params, actor, at))

    def track(self, rows, case, kind):
        """One track's life: classified, investigated, judged, decided and closed (as far as
        the present allows), with its steps, clocks, investigation, causes and actions."""
        rng, now = self.rng, self.now
        deviation_id, triaged_at, manager = case.id, case.triaged_at, case.manager
        (track_id,) = self.writer.ids(Track, 1)
        label = self.kind_label[kind]
        investigator = (
            rng.choice(self.investigators[kind]) if kind in self.investigators else manager
        )
        transitions = rows["transitions"]
        events = []

        def step(action, source, target, at):
            transitions.append((track_id, action, source, target, investigator, at, ""))
            events.append(
                (
                    at,
                    "deviations.track_moved",
                    {"track": label, "state": self.state_label[target]},
                    investigator,
                )
            )

        if kind == TrackKind.NOT_DEVIATION:
            reason = rng.choice(REASONS)
            rows["tracks"].append(
                (
                    track_id,
                    deviation_id,
                    kind,
                    TrackState.CLOSED,
                    reason,
                    None,
                    None,
                    None,
                    triaged_at,
                    manager,
                    triaged_at,
                )
            )
            transitions.append(
                (track_id, "classify", "", TrackState.CLOSED, manager, triaged_at, reason)
            )
            return {"closed_at": triaged_at, "events": events}
        transitions.append((track_id, "classify", "", TrackState.OPEN, manager, triaged_at, ""))
        stuck = 8 if rng.random() < 0.01 else 1
        started_at = triaged_at + _hours(rng, START_HOURS[kind])
        decided_at = started_at + _hours(rng, 24 * INVESTIGATION_DAYS[kind] * stuck, 0.8)
        closed_at = decided_at + _hours(rng, 48)
        serious = serious_at = notified_at = informed_at = None
        if kind in SERIOUS_SHARE:
            base = triaged_at if kind == TrackKind.DATA_BREACH else started_at
            serious_at = base + _hours(rng, 10 if kind == TrackKind.DATA_BREACH else 48, 0.8)
            if serious_at >= decided_at:
                serious_at = base + (decided_at - base) / 2
            serious = rng.random() < SERIOUS_SHARE[kind]
            if serious_at > now:
                serious = serious_at = None
            elif serious:
                ivo = kind != TrackKind.DATA_BREACH
                # Notified and informed before the track closes.
                latest = serious_at + (closed_at - serious_at) * 0.9
                notified_at = min(serious_at + _hours(rng, 120 if ivo else 20, 0.7), latest)
                informed_at = min(serious_at + _hours(rng, 20, 0.7), latest)
        state = TrackState.OPEN
        if started_at <= now:
            state = TrackState.INVESTIGATING
            step("start_investigation", TrackState.OPEN, state, started_at)
            if serious_at is not None:
                events.append(
                    (
                        serious_at,
                        "deviations.serious_decided",
                        {"track": label, "verdict": self.verdict[serious]},
                        investigator,
                    )
                )
            if decided_at <= now:
                state = TrackState.DECIDED
                step("decide", TrackState.INVESTIGATING, state, decided_at)
                if closed_at <= now:
                    state = TrackState.CLOSED
                    step("close", TrackState.DECIDED, state, closed_at)
        elif serious_at is not None:
            events.append(
                (
                    serious_at,
                    "deviations.serious_decided",
                    {"track": label, "verdict": self.verdict[serious]},
                    investigator,
                )
            )
        reached = {
            TrackState.OPEN: 0,
            TrackState.INVESTIGATING: 1,
            TrackState.DECIDED: 2,
            TrackState.CLOSED: 3,
        }[state]
        rows["tracks"].append(
            (
                track_id,
                deviation_id,
                kind,
                state,
                "",
                serious,
                serious_at,
                started_at if reached >= 1 else None,
                triaged_at,
                manager,
                closed_at if reached == 3 else None,
            )
        )
        if kind in RESTRICTED:
            rows["investigators"].append((track_id, investigator))
        if serious_at is not None:
            self.notifications(
                rows,
                case,
                track_id,
                kind,
                investigator,
                serious,
                serious_at,
                notified_at,
                informed_at,
            )
        self.clocks(
            rows,
            case,
            track_id,
            kind,
            serious,
            starts={
                # Generated reports are made the moment the organisation becomes aware.
                "reported": case.reported_at,
                "aware": case.reported_at,
                "triaged": triaged_at,
                "investigation_started": started_at if reached >= 1 else None,
                "serious_decided": serious_at if serious else None,
            },
            ends={
                "investigation_started": started_at if reached >= 1 else None,
                # A breach judged not serious needs no notification: its clock stops then.
                "notified": notified_at if serious else serious_at,
                "people_informed": informed_at,
                "closed": closed_at if reached == 3 else None,
            },
        )
        if reached >= 1:
            self.investigation(
                rows, case, track_id, kind, investigator, started_at, decided_at, reached >= 2
            )
        return {"closed_at": closed_at if reached == 3 else None, "events": events}

    def notifications(
        self,
        rows,
        case,
        track_id,
        kind,
        investigator,
        serious,
        serious_at,
        notified_at,
        informed_at,
    ):
        """The notification register as notification_services would leave it: IVO notified of
        a serious lex Sarah or lex Maria case, IMY of a serious breach (and the people it
        concerns informed), a breach judged not serious documented as not notified."""
        wanted = []  # (recipient, sent at or None, not notified)
        if kind == TrackKind.LEX_SARAH and serious:
            wanted.append((Recipient.IVO_LEX_SARAH, notified_at, False))
        elif kind == TrackKind.LEX_MARIA and serious:
            wanted.append((Recipient.IVO_LEX_MARIA, notified_at, False))
        elif kind == TrackKind.DATA_BREACH:
            wanted.append((Recipient.IMY, notified_at, not serious))
            if serious:
                wanted.append((Recipient.PEOPLE_CONCERNED, informed_at, False))
        ids = self.writer.ids(AuthorityNotification, len(wanted))
        ct = self.ct[AuthorityNotification]
        for pk, (recipient, sent_at, declined) in zip(ids, wanted, strict=True):
            sent = sent_at is not None and sent_at <= self.now
            if declined:
                state, decision, reason = (
                    NotificationState.NOT_NOTIFIED,
                    NotifyDecision.NOT_NOTIFY,
                    "Incidenten bedöms inte medföra någon risk för de registrerade.",
                )
                verb, at = "deviations.notification_not_notified", serious_at
            elif sent:
                state, decision, reason = NotificationState.SENT, NotifyDecision.NOTIFY, ""
                verb, at = "deviations.notification_sent", sent_at
            else:
                state, decision, reason, verb, at = NotificationState.DRAFT, "", "", None, None
            people = recipient == Recipient.PEOPLE_CONCERNED
            channel = (Channel.LETTER if people else Channel.E_SERVICE) if sent else ""
            rows["notifications"].append(
                (
                    pk,
                    track_id,
                    recipient,
                    state,
                    decision,
                    reason,
                    serious_at,
                    investigator,
                    sent_at if sent and not declined else None,
                    channel if not declined else "",
                    investigator if sent and not declined else None,
                    case.unit.name,
                    case.reference,
                )
            )
            if verb:
                params = {"recipient": self.recipient_label[recipient]}
                if not declined:
                    params["channel"] = self.channel_label[channel]
                rows["events"].append((ct, str(pk), verb, params, investigator, at))

    def clocks(self, rows, case, track_id, kind, serious, starts, ends):
        """The track's clocks as the services would have started and stopped them: a rule's
        clock exists once its start has happened (and, for a rule kept for serious cases,
        once the case is judged serious); it is met when its end has happened."""
        now = self.now
        for rule in self.rules.get(kind, ()):
            if rule.only_when_serious and not serious:
                continue
            start = starts.get(rule.starts)
            if start is None or start > now:
                continue
            end = ends.get(rule.ends)
            met = end if end is not None and end <= now else None
            rows["clocks"].append(
                (case.id, track_id, rule.pk, start, due_at(start, rule.amount, rule.unit), met)
            )

    def investigation(
        self, rows, case, track_id, kind, investigator, started_at, decided_at, decided
    ):
        rng = self.rng
        (investigation_id,) = self.writer.ids(Investigation, 1)
        decided_at = decided_at if decided else None
        with_causes = decided or rng.random() < 0.5
        causes = []
        if with_causes:
            for _ in range(1 if rng.random() < 0.7 else 2):
                cause = self.causes[bisect(self.cause_cum, rng.random() * self.cause_cum[-1])]
                if cause not in causes:
                    causes.append(cause)
        rows["causes"].extend((investigation_id, c) for c in causes)
        informed = heard = None
        not_informed = ""
        if kind in RESTRICTED and case.affected != "no":
            if rng.random() < 0.85:
                informed = timezone.localtime(started_at + _hours(rng, 48)).date()
                heard = informed + timedelta(days=rng.randrange(1, 8))
            else:
                not_informed = "Ingen enskild person gick att identifiera."
        with_action = decided and rng.random() < ACTION_SHARE
        rows["investigations"].append(
            (
                investigation_id,
                track_id,
                "Enhetschef, undersköterska, sjuksköterska",
                "Rutinen var inte känd av all personal." if with_causes else "",
                informed,
                heard,
                not_informed,
                "Händelsen berodde på brister i rutinen." if decided else "",
                "Rutinen revideras och gås igenom med personalen." if decided else "",
                investigator if decided else None,
                decided_at,
                "" if with_action or not decided else "Händelsen var av engångskaraktär.",
                decided_at or started_at,
            )
        )
        if with_action:
            self.action(rows, case, track_id, kind, investigator, decided_at)

    def action(self, rows, case, track_id, kind, investigator, decided_at):
        rng, unit = self.rng, case.unit
        today = timezone.localdate(self.now)
        due = timezone.localtime(decided_at).date() + timedelta(days=rng.randrange(14, 90))
        check = due + timedelta(days=60)
        if due >= today:
            status = rng.choice((ActionStatus.PLANNED, ActionStatus.IN_PROGRESS))
        else:
            status = rng.choices(
                (
                    ActionStatus.EFFECT_CHECKED,
                    ActionStatus.DONE,
                    ActionStatus.CANCELLED,
                    ActionStatus.IN_PROGRESS,
                ),
                (65, 25, 5, 5),
            )[0]
            if status == ActionStatus.EFFECT_CHECKED and check > today:
                status = ActionStatus.DONE
        completed = status in (ActionStatus.DONE, ActionStatus.EFFECT_CHECKED)
        checked = status == ActionStatus.EFFECT_CHECKED
        rows["actions"].append(
            (
                self.ct[Track],
                track_id,
                f"{case.reference} – {self.kind_label[kind]}",
                unit.pk,
                rng.choice(ACTION_TITLES),
                self.manager[unit.pk],
                due,
                status,
                datetime.combine(due, datetime.min.time(), tzinfo=self.tz) if completed else None,
                check,
                check if checked else None,
                "Följdes upp på arbetsplatsträff." if checked else "",
                rng.choice(("yes", "yes", "partly", "no")) if checked else "",
                decided_at,
                investigator,
            )
        )
