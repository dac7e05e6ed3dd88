"""The control methods (internal_control/data/methods.json), created after migrate: only the
ones missing, never overwriting an organisation's edits. Connected to post_migrate in
InternalControlConfig.ready()."""

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def ensure_methods(**kwargs):
    from internal_control.models import ControlMethod

    rows = json.loads((DATA / "methods.json").read_text(encoding="utf-8"))
    for row in rows:
        ControlMethod.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "description": row["description"],
                "order": row["order"],
            },
        )
