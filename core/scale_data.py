"""The machinery the scale-data generators share (`generate_scale_data`,
`generate_routine_scale_data`): guards, timing, bulk writing, purging, statistics.

No domain knowledge: the generators of the apps (organisation.scale_data,
deviations.scale_data, routines.scale_data) say what the rows are; this module writes and
removes them fast.
"""

import json
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from core.crypto import EncryptedTextField, encrypt

ID_BLOCK = 100_000


def refuse(name):
    """Stop `name` in production and on a database other than PostgreSQL or SQLite."""
    if getattr(settings, "PRODUCTION", False):
        raise CommandError(f"{name} never runs in production.")
    check_vendor(name)


def check_vendor(name):
    if connection.vendor not in ("postgresql", "sqlite"):
        raise CommandError(f"{name} supports PostgreSQL and SQLite.")


def since(started):
    """The time since `started` (time.monotonic()), for the progress lines."""
    return f"{time.monotonic() - started:.1f} s"


def skip_key_checks(stdout):
    """On PostgreSQL, let the bulk rows skip the foreign-key triggers for this transaction
    when the database user may (a superuser, as in development): the generators reserve
    every id they refer to, and the checks at commit would take longer than the load."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except Exception:  # noqa: BLE001 - not allowed: the checks simply run
        stdout.write("Foreign keys are checked at commit (not a superuser).")


def analyse(tables):
    """On PostgreSQL, statistics for the planner and the visibility map (index-only scans)
    of the models' tables now, rather than when autovacuum gets round to it (in the middle of
    a benchmark). False elsewhere (nothing done)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        for model in tables:
            table = connection.ops.quote_name(model._meta.db_table)
            # VACUUM cannot run in a transaction (a test's, say); ANALYZE can.
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{verb} {table}")
    return True


class BulkWriter:
    """Writes rows straight to the tables: COPY on PostgreSQL, batched INSERTs elsewhere.

    Rows are tuples in the order of `names` (attnames, e.g. "unit_id"); the other concrete
    fields get their defaults. Ids come from `ids()`, reserved from the table's sequence.
    """

    def __init__(self, name):
        check_vendor(name)
        self.pg = connection.vendor == "postgresql"
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
