"""Reference data created after migrate: only what is missing, never overwriting edits."""

import json
from pathlib import Path

from accounts.keys import DEFAULT_ROLE_PERMISSIONS, PERMISSION_KEYS

ROLES_FILE = Path(__file__).parent / "data" / "roles.json"


def ensure_roles_and_permissions(**kwargs):
    from accounts.models import Permission, Role

    perms, new_keys = {}, set()
    for key in PERMISSION_KEYS:
        perms[key], created = Permission.objects.get_or_create(key=key)
        if created:
            new_keys.add(key)
    for row in json.loads(ROLES_FILE.read_text(encoding="utf-8")):
        role, created = Role.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name_sv"],
                "name_en": row["name_en"],
                "description": row.get("description_sv", ""),
                "order": row["order"],
            },
        )
        defaults = DEFAULT_ROLE_PERMISSIONS.get(role.code, [])
        # A new role gets its defaults; an existing one only the keys that a release added.
        role.permissions.add(*(perms[k] for k in defaults if created or k in new_keys))
