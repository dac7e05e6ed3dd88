"""The feedback's rule data, loaded after migrate: the targets for acknowledging and answering
(data/targets.json), the themes (data/themes.json) and the grounds for masking a released copy
(data/masking.json); only the rows missing, so the organisation's edits stay."""

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def plain_texts():
    """The public form's wording in plain Swedish (lättläst)."""
    return json.loads((DATA / "plain.json").read_text(encoding="utf-8"))


def intake_limits():
    return json.loads((DATA / "intake.json").read_text(encoding="utf-8"))


def _section(reference):
    from legal.seed import ensure_section

    return ensure_section(*reference) if reference else None


def ensure_targets(**kwargs):
    from feedback.models import TargetRule

    for row in json.loads((DATA / "targets.json").read_text(encoding="utf-8")):
        if TargetRule.objects.filter(code=row["code"]).exists():
            continue
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
            section=_section(row.get("section")),
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


def ensure_masking_grounds(**kwargs):
    from feedback.models import MaskingGround

    rows = json.loads((DATA / "masking.json").read_text(encoding="utf-8"))["grounds"]
    for row in rows:
        if MaskingGround.objects.filter(code=row["code"]).exists():
            continue
        MaskingGround.objects.create(
            code=row["code"],
            name=row["name"],
            section=_section(row.get("section")),
            default_for=row.get("default_for", ""),
            order=row.get("order", 100),
        )
