"""Full-text search of published routine versions (routines/search.py).

PostgreSQL: a partial GIN expression index on to_tsvector('swedish', search_text) of the
published versions; the search query uses the same expression, so the index serves it.
SQLite: an FTS5 table kept by the receivers in routines/hooks.py, filled here with what is
already published. Each database gets only its own part.
"""

from django.db import migrations

INDEX = "routines_version_search_sv"
TABLE = "routines_search"


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON routines_routineversion "
            "USING gin (to_tsvector('swedish'::regconfig, search_text)) "
            "WHERE state = 'published'"
        )
    elif conn.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
            "version_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
        RoutineVersion = apps.get_model("routines", "RoutineVersion")
        published = RoutineVersion.objects.filter(state="published").values_list(
            "pk", "routine__title", "search_text"
        )
        with conn.cursor() as cursor:
            for pk, title, text in published.iterator():
                cursor.execute(
                    f"INSERT INTO {TABLE} (version_id, title, body) VALUES (%s, %s, %s)",
                    [pk, title, text or ""],
                )


def backwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    elif conn.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("routines", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
