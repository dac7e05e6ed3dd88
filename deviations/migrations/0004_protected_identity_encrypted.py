"""The protected identity encrypted at rest, with keyed hashes for exact search; the change
log's half-masked copies of it masked whole.

Existing rows are read and written with SQL, not through the model: the model's field decrypts
on read and would take the clear text of the old rows for a broken token.
"""

import json

from django.db import migrations, models

import core.crypto

MASK = core.crypto.MASK


def _rows(connection, sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def encrypt_rows(apps, schema_editor):
    connection = schema_editor.connection
    table = connection.ops.quote_name("deviations_deviation")
    update = (
        f"UPDATE {table} SET affected_person = %s, affected_person_pin_hash = %s, "
        "affected_person_name_hash = %s WHERE id = %s"
    )
    for pk, text in _rows(connection, f"SELECT id, affected_person FROM {table}"):
        if not text:
            continue
        pin_hash, name_hash = core.crypto.identity_digests(text)
        with connection.cursor() as cursor:
            cursor.execute(update, [core.crypto.encrypt(text), pin_hash, name_hash, pk])


def decrypt_rows(apps, schema_editor):
    connection = schema_editor.connection
    table = connection.ops.quote_name("deviations_deviation")
    update = f"UPDATE {table} SET affected_person = %s WHERE id = %s"
    for pk, token in _rows(connection, f"SELECT id, affected_person FROM {table}"):
        if token:
            with connection.cursor() as cursor:
                cursor.execute(update, [core.crypto.decrypt(token), pk])


def mask_change_log(apps, schema_editor):
    """Entries written while only the first half was masked keep the second half, with the
    number in it: mask every recorded value of the field whole. Not reversible by design."""
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.filter(app_label="deviations", model="deviation").first()
    if kind is None:
        return
    for entry in LogEntry.objects.filter(content_type=kind).iterator():
        changed = False
        changes = entry.changes if isinstance(entry.changes, dict) else None
        if changes and "affected_person" in changes:
            changes["affected_person"] = [
                core.crypto.mask_whole(str(v)) for v in changes["affected_person"]
            ]
            changed = True
        if entry.changes_text and "affected_person" in entry.changes_text:
            try:
                text = json.loads(entry.changes_text)
            except ValueError:
                text = None
            if isinstance(text, dict) and "affected_person" in text:
                text["affected_person"] = [
                    core.crypto.mask_whole(str(v)) for v in text["affected_person"]
                ]
                entry.changes_text = json.dumps(text)
                changed = True
        if isinstance(entry.serialized_data, dict):
            fields = entry.serialized_data.get("fields") or {}
            if fields.get("affected_person"):
                fields["affected_person"] = MASK
                changed = True
        if changed:
            entry.save(update_fields=["changes", "changes_text", "serialized_data"])


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("deviations", "0003_authority_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="deviation",
            name="affected_person_name_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="deviation",
            name="affected_person_pin_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        # A token is longer than the 200 characters of clear text it holds.
        migrations.AlterField(
            model_name="deviation",
            name="affected_person",
            field=models.TextField(blank=True, max_length=200),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.AlterField(
            model_name="deviation",
            name="affected_person",
            field=core.crypto.EncryptedTextField(
                blank=True,
                help_text=(
                    "Name or personal identity number. Only the people handling the case see it."
                ),
                max_length=200,
                verbose_name="who was affected (protected)",
            ),
        ),
        migrations.RunPython(mask_change_log, migrations.RunPython.noop),
    ]
