import json
from pathlib import Path

CAUSES_FILE = Path(__file__).parent / "data" / "causes.json"


def ensure_causes(**kwargs):
    """The cause catalogue, created once; the organisation edits it afterwards."""
    from deviations.investigation.models import Cause

    for row in json.loads(CAUSES_FILE.read_text(encoding="utf-8")):
        Cause.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "order": row["order"]}
        )
