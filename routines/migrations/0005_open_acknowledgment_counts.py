"""The kept acknowledgment counts also keep how many tasks are still open.

A department's overview of hundreds of routines and units read who had not acknowledged from
every open task (tens of thousands of rows) on each request. With `open` kept beside `asked`
it sums the counts alone, and reads the open tasks (for names) only of the one unit a unit
manager follows up.

Acknowledging now changes a count: one row (the version and unit's), in the acknowledging
person's own short transaction. The triggers of 0004 are replaced by ones that keep both
numbers; a task whose acknowledgment is recorded or removed moves one from or back to `open`.
"""

from django.db import migrations, models

TABLE = "routines_acknowledgment"
COUNTS = "routines_acknowledgmentcount"
INDEX = "routines_ack_count_unit_idx"
NAMES = ("added", "removed", "moved", "acknowledged")

POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION routines_ack_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {COUNTS} (version_id, unit_id, asked, open)
        SELECT version_id, unit_id, count(*), count(*) FILTER (WHERE acknowledged_at IS NULL)
        FROM ack_added
        GROUP BY version_id, unit_id ORDER BY version_id, unit_id
        ON CONFLICT (version_id, unit_id)
        DO UPDATE SET asked = {COUNTS}.asked + EXCLUDED.asked,
                      open = {COUNTS}.open + EXCLUDED.open;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION routines_ack_count_removed() RETURNS trigger LANGUAGE plpgsql
    AS $$
    BEGIN
        UPDATE {COUNTS} AS c SET asked = c.asked - gone.n, open = c.open - gone.o
        FROM (
            SELECT version_id, unit_id, count(*) AS n,
                   count(*) FILTER (WHERE acknowledged_at IS NULL) AS o
            FROM ack_removed GROUP BY version_id, unit_id
        ) AS gone
        WHERE c.version_id = gone.version_id AND c.unit_id = gone.unit_id;
        DELETE FROM {COUNTS} AS c USING (SELECT DISTINCT version_id, unit_id FROM ack_removed) AS g
        WHERE c.version_id = g.version_id AND c.unit_id = g.unit_id AND c.asked = 0;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION routines_ack_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {COUNTS} SET asked = asked - 1,
                            open = open - (OLD.acknowledged_at IS NULL)::int
        WHERE version_id = OLD.version_id AND unit_id = OLD.unit_id;
        DELETE FROM {COUNTS}
        WHERE version_id = OLD.version_id AND unit_id = OLD.unit_id AND asked = 0;
        INSERT INTO {COUNTS} (version_id, unit_id, asked, open)
        VALUES (NEW.version_id, NEW.unit_id, 1, (NEW.acknowledged_at IS NULL)::int)
        ON CONFLICT (version_id, unit_id)
        DO UPDATE SET asked = {COUNTS}.asked + 1, open = {COUNTS}.open + EXCLUDED.open;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION routines_ack_count_acknowledged() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {COUNTS}
        SET open = open + (NEW.acknowledged_at IS NULL)::int - (OLD.acknowledged_at IS NULL)::int
        WHERE version_id = NEW.version_id AND unit_id = NEW.unit_id;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE TRIGGER routines_ack_count_moved AFTER UPDATE OF version_id, unit_id ON {TABLE}
    FOR EACH ROW
    WHEN (OLD.version_id <> NEW.version_id OR OLD.unit_id <> NEW.unit_id)
    EXECUTE FUNCTION routines_ack_count_moved()
    """,
    # A move is counted whole by the trigger above (with the task's state after the update).
    f"""
    CREATE TRIGGER routines_ack_count_acknowledged AFTER UPDATE OF acknowledged_at ON {TABLE}
    FOR EACH ROW
    WHEN ((OLD.acknowledged_at IS NULL) <> (NEW.acknowledged_at IS NULL)
          AND OLD.version_id = NEW.version_id AND OLD.unit_id = NEW.unit_id)
    EXECUTE FUNCTION routines_ack_count_acknowledged()
    """,
    f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER routines_ack_count_moved",
    f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER routines_ack_count_acknowledged",
]

_TAKE = f"""
        UPDATE {COUNTS} SET asked = asked - 1, open = open - (OLD.acknowledged_at IS NULL)
        WHERE version_id = OLD.version_id AND unit_id = OLD.unit_id;
        DELETE FROM {COUNTS}
        WHERE version_id = OLD.version_id AND unit_id = OLD.unit_id AND asked = 0;"""
_ADD = f"""
        INSERT INTO {COUNTS} (version_id, unit_id, asked, open)
        VALUES (NEW.version_id, NEW.unit_id, 1, NEW.acknowledged_at IS NULL)
        ON CONFLICT (version_id, unit_id)
        DO UPDATE SET asked = asked + 1, open = open + excluded.open;"""
SQLITE = [
    f"CREATE TRIGGER routines_ack_count_added AFTER INSERT ON {TABLE} BEGIN {_ADD} END",
    f"CREATE TRIGGER routines_ack_count_removed AFTER DELETE ON {TABLE} BEGIN {_TAKE} END",
    f"""
    CREATE TRIGGER routines_ack_count_moved AFTER UPDATE OF version_id, unit_id ON {TABLE}
    WHEN OLD.version_id <> NEW.version_id OR OLD.unit_id <> NEW.unit_id
    BEGIN {_TAKE} {_ADD} END
    """,
    f"""
    CREATE TRIGGER routines_ack_count_acknowledged AFTER UPDATE OF acknowledged_at ON {TABLE}
    WHEN (OLD.acknowledged_at IS NULL) <> (NEW.acknowledged_at IS NULL)
        AND OLD.version_id = NEW.version_id AND OLD.unit_id = NEW.unit_id
    BEGIN
        UPDATE {COUNTS}
        SET open = open + (NEW.acknowledged_at IS NULL) - (OLD.acknowledged_at IS NULL)
        WHERE version_id = NEW.version_id AND unit_id = NEW.unit_id;
    END
    """,
]

# The open tasks already there; the table is locked against writes by the new trigger (PostgreSQL)
# or the migration's transaction (SQLite) until the migration commits.
FILL = (
    f"UPDATE {COUNTS} SET open = (SELECT count(*) FROM {TABLE} AS a "
    f"WHERE a.version_id = {COUNTS}.version_id AND a.unit_id = {COUNTS}.unit_id "
    "AND a.acknowledged_at IS NULL)"
)
POSTGRES_INDEX = f"CREATE INDEX {INDEX} ON {COUNTS} (unit_id) INCLUDE (version_id, asked, open)"


def drop_old_triggers(apps, schema_editor):
    """Before the new column: SQLite adds it by making the counts table again, which its
    triggers on the tasks name and would not let go. On PostgreSQL the moved trigger changes
    its condition; the functions are replaced in place."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS routines_ack_count_moved ON {TABLE}")
    else:
        for name in NAMES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS routines_ack_count_{name}")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = POSTGRES
    elif vendor == "sqlite":
        statements = SQLITE
    else:
        raise RuntimeError("The acknowledgment counts are kept on PostgreSQL and SQLite only.")
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(FILL)
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(POSTGRES_INDEX)


def drop_new_triggers(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name in NAMES:
        trigger = f"routines_ack_count_{name}"
        if postgres:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {TABLE}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {trigger}()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def make_old_triggers(apps, schema_editor):
    """Back to 0004's triggers, which count `asked` alone, once the column is gone."""
    from importlib import import_module

    previous = import_module("routines.migrations.0004_counts_and_search_vector")
    vendor = schema_editor.connection.vendor
    for statement in previous.POSTGRES if vendor == "postgresql" else previous.SQLITE:
        schema_editor.execute(statement)
    schema_editor.execute(previous.UNIT_INDEX[vendor])


class Migration(migrations.Migration):
    dependencies = [("routines", "0004_counts_and_search_vector")]

    operations = [
        migrations.RunPython(drop_old_triggers, make_old_triggers),
        migrations.AddField(
            model_name="acknowledgmentcount",
            name="open",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(forwards, drop_new_triggers),
    ]
