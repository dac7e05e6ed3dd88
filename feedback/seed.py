"""The targets for acknowledging and answering feedback, loaded after migrate from
feedback/data/targets.json: only the rows missing, so the organisation's edits stay."""

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def intake_limits():
    return json.loads((DATA / "intake.json").read_text(encoding="utf-8"))


def ensure_targets(**kwargs):
    from feedback.models import TargetRule
    from legal.models import RegulationSection

    for row in json.loads((DATA / "targets.json").read_text(encoding="utf-8")):
        if TargetRule.objects.filter(code=row["code"]).exists():
            continue
        section = None
        if row.get("section"):
            regulation, reference = row["section"]
            section = RegulationSection.objects.filter(
                regulation__code=regulation, reference=reference
            ).first()
        TargetRule.objects.create(
            code=row["code"],
            name=row["name"],
            target=row["target"],
            kind=row["kind"],
            health_care=row["health_care"],
            amount=row["amount"],
            unit=row["unit"],
            is_law=row["is_law"],
            remind_before_hours=row.get("remind_before_hours", 0),
            section=section,
        )


def ensure_themes(**kwargs):
    from deviations.models import EventCategory
    from feedback.models import Theme

    categories = dict(EventCategory.objects.values_list("code", "pk"))
    rows = json.loads((DATA / "themes.json").read_text(encoding="utf-8"))["themes"]
    for row in rows:
        if Theme.objects.filter(code=row["code"]).exists():
            continue
        Theme.objects.create(
            code=row["code"],
            name=row["name"],
            description=row.get("description", ""),
            order=row.get("order", 100),
            event_category_id=categories.get(row.get("event_category")),
        )
