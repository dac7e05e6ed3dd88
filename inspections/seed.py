"""The methods of self-inspection of the general advice (data/methods.json), loaded after
migrate: only the missing ones, so an administrator's edits survive."""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def load_json(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def ensure_methods(**kwargs):
    from inspections.models import Method

    existing = set(Method.objects.values_list("code", flat=True))
    Method.objects.bulk_create(
        [Method(**row) for row in load_json("methods.json") if row["code"] not in existing]
    )
