import json
from pathlib import Path

from django.apps import apps as installed_apps

CAUSES_FILE = Path(__file__).parent / "data" / "causes.json"
EVENT_CATEGORIES_FILE = Path(__file__).parent / "data" / "event_categories.json"


def ensure_causes(**kwargs):
    """The cause catalogue, created once; the organisation edits it afterwards."""
    from deviations.investigation.models import Cause

    for row in json.loads(CAUSES_FILE.read_text(encoding="utf-8")):
        Cause.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "order": row["order"]}
        )


def ensure_event_categories(apps=None, schema_editor=None, **kwargs):
    """The shipped kinds of event, created only where their code is missing, so that the
    organisation's edits survive. Called by the migration (with its historical models) and after
    every migrate; `apps` is then the migrated state, which lacks the model when migrating back."""
    try:
        EventCategory = (apps or installed_apps).get_model("deviations", "EventCategory")
    except LookupError:
        return
    catalogue = json.loads(EVENT_CATEGORIES_FILE.read_text(encoding="utf-8"))
    for row in catalogue["categories"]:
        EventCategory.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "description": row.get("description", ""),
                "order": row["order"],
                "law_areas": row.get("law_areas", []),
            },
        )
