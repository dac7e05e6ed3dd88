"""Re-encrypt every protected field under the newest key of HJULET_FIELD_KEYS.

Run after putting a new key first in the list; the old key can be removed once this has run.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from core.crypto import EncryptedTextField, rotate


class Command(BaseCommand):
    help = "Re-encrypt the protected fields under the newest key."

    def handle(self, *args, **options):
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedTextField):
                    count = self._rotate(model, field)
                    self.stdout.write(f"{model._meta.label}.{field.name}: {count}")

    @transaction.atomic
    def _rotate(self, model, field):
        # SQL, not the model: the model would hand back clear text and encrypt it anew, which
        # works too, but this way a row no key opens stops the run instead of being rewritten.
        quote = connection.ops.quote_name
        table, column, pk = (
            quote(model._meta.db_table),
            quote(field.column),
            quote(model._meta.pk.column),
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")
            rows = cursor.fetchall()
            for key, token in rows:
                cursor.execute(
                    f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [rotate(token), key]
                )
        return len(rows)
