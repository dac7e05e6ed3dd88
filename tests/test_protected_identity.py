"""The protected identity at rest (core/crypto.py): encrypted, findable by keyed hash, rotated,
and never in the change log (deviations/migrations/0004_protected_identity_encrypted.py)."""

import importlib
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from cryptography.fernet import Fernet
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core import crypto
from deviations import services
from deviations.models import Deviation

IDENTITY = "Greta Brukare 19121212-1212"
MIGRATION = importlib.import_module("deviations.migrations.0004_protected_identity_encrypted")


def report(cast, **extra):
    return services.report(
        actor=cast.same_unit,
        unit=cast.unit_a,
        occurred_at=timezone.now() - timedelta(hours=1),
        description="Brukaren föll.",
        immediate_action="Sjuksköterska tillkallades.",
        service_user_affected="yes",
        **extra,
    )


def raw(deviation):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT affected_person, affected_person_pin_hash, affected_person_name_hash "
            "FROM deviations_deviation WHERE id = %s",
            [deviation.pk],
        )
        return cursor.fetchone()


@pytest.fixture
def fresh_keys(settings):
    yield settings
    crypto.reset_keys()


def test_the_identity_is_encrypted_at_rest_and_read_in_clear(cast):
    deviation = report(cast, affected_person=IDENTITY)
    stored, pin_hash, name_hash = raw(deviation)
    assert "1212" not in stored and "Greta" not in stored
    assert Deviation.objects.get(pk=deviation.pk).affected_person == IDENTITY
    assert pin_hash == crypto.keyed_hash("191212121212")
    assert name_hash == crypto.keyed_hash("brukare greta")
    assert "1212" not in pin_hash


def test_the_hashes_follow_an_edit_and_an_empty_field(cast):
    deviation = report(cast, affected_person=IDENTITY)
    deviation.affected_person = ""
    deviation.save(update_fields=["affected_person"])
    assert raw(deviation) == ("", "", "")


@pytest.mark.parametrize("written", ["19121212-1212", "121212+1212", "191212121212"])
def test_the_number_hash_is_the_same_however_it_is_written(cast, written):
    deviation = report(cast, affected_person=f"Greta, {written}")
    assert raw(deviation)[1] == crypto.keyed_hash("191212121212")


def test_the_hash_depends_on_the_key(fresh_keys):
    before = crypto.keyed_hash("191212121212")
    fresh_keys.FIELD_HASH_KEY = "another-hash-key-of-enough-length-0123456789"
    crypto.reset_keys()
    assert crypto.keyed_hash("191212121212") != before


def test_keys_rotate_without_losing_a_row(cast, fresh_keys):
    old = Fernet.generate_key().decode()
    fresh_keys.FIELD_ENCRYPTION_KEYS = [old]
    crypto.reset_keys()
    deviation = report(cast, affected_person=IDENTITY)
    before = raw(deviation)[0]
    new = Fernet.generate_key().decode()
    fresh_keys.FIELD_ENCRYPTION_KEYS = [new, old]
    crypto.reset_keys()
    assert Deviation.objects.get(pk=deviation.pk).affected_person == IDENTITY
    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert raw(deviation)[0] != before
    fresh_keys.FIELD_ENCRYPTION_KEYS = [new]  # the old key dropped
    crypto.reset_keys()
    assert Deviation.objects.get(pk=deviation.pk).affected_person == IDENTITY


def test_a_value_no_key_opens_is_an_error_not_the_identity(cast, fresh_keys):
    deviation = report(cast, affected_person=IDENTITY)
    fresh_keys.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    crypto.reset_keys()
    with pytest.raises(ValueError, match="decrypted"):
        Deviation.objects.get(pk=deviation.pk)


def test_the_change_log_never_holds_the_identity(cast):
    deviation = report(cast, affected_person=IDENTITY)
    deviation.affected_person = "Namn 19121212-1212"
    deviation.save()
    entries = LogEntry.objects.get_for_object(deviation)
    assert entries.count() >= 2
    for entry in entries:
        text = f"{entry.changes} {entry.changes_text} {entry.serialized_data}"
        assert "1212" not in text and "Greta" not in text and "Namn" not in text
        assert "affected_person_pin_hash" not in text
    update = entries.filter(action=LogEntry.Action.UPDATE).first()
    assert update.changes["affected_person"] == [crypto.MASK, crypto.MASK]


def test_old_half_masked_log_entries_are_masked_whole(cast):
    deviation = report(cast)
    kind = ContentType.objects.get_for_model(Deviation)
    entry = LogEntry.objects.create(
        content_type=kind,
        object_pk=str(deviation.pk),
        object_repr=str(deviation),
        action=LogEntry.Action.UPDATE,
        changes={"affected_person": ["None", "*********19121212-1212"], "place": ["", "Hall"]},
        changes_text='{"affected_person": ["", "*********19121212-1212"]}',
    )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    MIGRATION.mask_change_log(apps, editor)
    entry.refresh_from_db()
    assert entry.changes == {"affected_person": ["None", crypto.MASK], "place": ["", "Hall"]}
    assert "1212" not in entry.changes_text


def test_existing_rows_are_encrypted_by_the_migration_and_back(cast):
    deviation = report(cast)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE deviations_deviation SET affected_person = %s WHERE id = %s",
            [IDENTITY, deviation.pk],
        )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    MIGRATION.encrypt_rows(apps, editor)
    stored, pin_hash, _name = raw(deviation)
    assert IDENTITY not in stored and pin_hash == crypto.keyed_hash("191212121212")
    assert Deviation.objects.get(pk=deviation.pk).affected_person == IDENTITY
    MIGRATION.decrypt_rows(apps, editor)
    assert raw(deviation)[0] == IDENTITY


def test_deploy_check_flags_derived_keys(settings):
    settings.FIELD_ENCRYPTION_KEYS, settings.FIELD_HASH_KEY = [], ""
    assert [m.id for m in crypto.check_field_keys(None)] == ["hjulet.W001"]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    settings.FIELD_HASH_KEY = "x" * 40
    assert crypto.check_field_keys(None) == []


def test_the_case_page_shows_the_identity_to_its_handlers(cast, login):
    deviation = report(cast, affected_person=IDENTITY)
    response = login(cast.manager_a).get(deviation.get_absolute_url())
    assert IDENTITY in response.content.decode()
