import json
from pathlib import Path

SERVICES_FILE = Path(__file__).parent / "data" / "services.json"


def ensure_services(**kwargs):
    """The catalogue of central social services (seed 000 §1.3), created once."""
    from organisation.models import Service

    for row in json.loads(SERVICES_FILE.read_text(encoding="utf-8")):
        Service.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "order": row["order"]}
        )
