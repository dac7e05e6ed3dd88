"""Two things that keep the routine pages fast at a large municipality's scale.

1. The acknowledgment counts (AcknowledgmentCount), kept by triggers on the acknowledgments:
   the managers' overview sums how many were asked per version and unit from these rows instead
   of counting every task (a municipality has millions). The database keeps them, so no way of
   writing a task (the services, bulk inserts, cascades, the scale data) can leave them wrong.
   On PostgreSQL an index by unit that carries version and asked serves the overview alone (the
   version is a filter on it, not a key: a key would make one index descent per unit and
   version).
2. PostgreSQL: the Swedish vector of each version's search_text, kept by the database in the
   generated column search_vector, which the search ranks by instead of parsing every matching
   text again on every search (routines/search.py). Not a model field: SQLite searches its FTS5
   table (0002_search). A later change of search_text's type must drop and add it again.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "routines_acknowledgment"
COUNTS = "routines_acknowledgmentcount"

# PostgreSQL: the inserts and deletes counted per statement (a bulk insert of thousands of
# tasks makes one upsert per version and unit, in a fixed order so that two rounds never wait
# on each other crosswise); a task moved to another version or unit, row by row (it is rare,
# and acknowledging, which changes neither, never fires it). ENABLE ALWAYS: the scale-data
# generator loads with session_replication_role = replica, which skips ordinary triggers.
POSTGRES = [
    f"""
    CREATE FUNCTION routines_ack_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {COUNTS} (version_id, unit_id, asked)
        SELECT version_id, unit_id, count(*) FROM ack_added
        GROUP BY version_id, unit_id ORDER BY version_id, unit_id
        ON CONFLICT (version_id, unit_id)
        DO UPDATE SET asked = {COUNTS}.asked + EXCLUDED.asked;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION routines_ack_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {COUNTS} AS c SET asked = c.asked - gone.n
        FROM (
            SELECT version_id, unit_id, count(*) AS n FROM ack_removed
            GROUP BY version_id, unit_id
        ) AS gone
        WHERE c.version_id = gone.version_id AND c.unit_id = gone.unit_id;
        DELETE FROM {COUNTS} AS c USING (SELECT DISTINCT version_id, unit_id FROM ack_removed) AS g
        WHERE c.version_id = g.version_id AND c.unit_id = g.unit_id AND c.asked = 0;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION routines_ack_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {COUNTS} SET asked = asked - 1
        WHERE version_id = OLD.version_id AND unit_id = OLD.unit_id;
        DELETE FROM {COUNTS}
        WHERE version_id = OLD.version_id AND unit_id = OLD.unit_id AND asked = 0;
        INSERT INTO {COUNTS} (version_id, unit_id, asked) VALUES (NEW.version_id, NEW.unit_id, 1)
        ON CONFLICT (version_id, unit_id) DO UPDATE SET asked = {COUNTS}.asked + 1;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE TRIGGER routines_ack_count_added AFTER INSERT ON {TABLE}
    REFERENCING NEW TABLE AS ack_added
    FOR EACH STATEMENT EXECUTE FUNCTION routines_ack_count_added()
    """,
    f"""
    CREATE TRIGGER routines_ack_count_removed AFTER DELETE ON {TABLE}
    REFERENCING OLD TABLE AS ack_removed
    FOR EACH STATEMENT EXECUTE FUNCTION routines_ack_count_removed()
    """,
    f"""
    CREATE TRIGGER routines_ack_count_moved AFTER UPDATE OF version_id, unit_id ON {TABLE}
    FOR EACH ROW
    WHEN (OLD.version_id <> NEW.version_id OR OLD.unit_id <> NEW.unit_id)
    EXECUTE FUNCTION routines_ack_count_moved()
    """,
    f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER routines_ack_count_added",
    f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER routines_ack_count_removed",
    f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER routines_ack_count_moved",
]

# SQLite: row by row (it has no statement triggers); an ignored duplicate (INSERT OR IGNORE)
# fires nothing.
_TAKE = f"""
        UPDATE {COUNTS} SET asked = asked - 1
        WHERE version_id = OLD.version_id AND unit_id = OLD.unit_id;
        DELETE FROM {COUNTS}
        WHERE version_id = OLD.version_id AND unit_id = OLD.unit_id AND asked = 0;"""
_ADD = f"""
        INSERT INTO {COUNTS} (version_id, unit_id, asked) VALUES (NEW.version_id, NEW.unit_id, 1)
        ON CONFLICT (version_id, unit_id) DO UPDATE SET asked = asked + 1;"""
SQLITE = [
    f"CREATE TRIGGER routines_ack_count_added AFTER INSERT ON {TABLE} BEGIN {_ADD} END",
    f"CREATE TRIGGER routines_ack_count_removed AFTER DELETE ON {TABLE} BEGIN {_TAKE} END",
    f"""
    CREATE TRIGGER routines_ack_count_moved AFTER UPDATE OF version_id, unit_id ON {TABLE}
    WHEN OLD.version_id <> NEW.version_id OR OLD.unit_id <> NEW.unit_id
    BEGIN {_TAKE} {_ADD} END
    """,
]

# The tasks already there. After the triggers, in the same transaction: on PostgreSQL creating
# a trigger locks the table against writes until the migration commits, so nothing is missed.
FILL = (
    f"INSERT INTO {COUNTS} (version_id, unit_id, asked) "
    f"SELECT version_id, unit_id, count(*) FROM {TABLE} GROUP BY version_id, unit_id"
)
INDEX = "routines_ack_count_unit_idx"
UNIT_INDEX = {
    "postgresql": f"CREATE INDEX {INDEX} ON {COUNTS} (unit_id) INCLUDE (version_id, asked)",
    "sqlite": f"CREATE INDEX {INDEX} ON {COUNTS} (unit_id)",
}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor)
    if statements is None:
        raise RuntimeError("The acknowledgment counts are kept on PostgreSQL and SQLite only.")
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(FILL)
    schema_editor.execute(UNIT_INDEX[vendor])


def backwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    for name in ("added", "removed", "moved"):
        trigger = f"routines_ack_count_{name}"
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {trigger} ON {TABLE}"
            if postgres
            else f"DROP TRIGGER IF EXISTS {trigger}"
        )
        if postgres:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {trigger}()")


VERSIONS = "routines_routineversion"


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {VERSIONS} ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, search_text)) STORED"
        )


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {VERSIONS} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0003_node_address_and_dpo"),
        ("routines", "0003_acknowledgment_open"),
    ]

    operations = [
        migrations.CreateModel(
            name="AcknowledgmentCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("asked", models.PositiveIntegerField(default=0)),
                (
                    "unit",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organisation.orgnode",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="routines.routineversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "acknowledgment count",
                "verbose_name_plural": "acknowledgment counts",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("version", "unit"), name="one_acknowledgment_count"
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(add_search_vector, drop_search_vector),
    ]
