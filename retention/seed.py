import json
from pathlib import Path

RULES_FILE = Path(__file__).parent / "data" / "rules.json"


def ensure_rules(**kwargs):
    """Create the retention rules that are missing; an administrator's edits are kept. A
    section the rules cite is added to the law register when the register lacks it."""
    from legal.models import Regulation, RegulationSection
    from retention.models import RetentionRule

    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    sections = {}
    for row in data["sections"]:
        regulation = Regulation.objects.filter(code=row["regulation"]).first()
        if regulation is None:
            continue
        sections[(row["regulation"], row["reference"])], _created = (
            RegulationSection.objects.get_or_create(
                regulation=regulation,
                reference=row["reference"],
                defaults={"topic": row["topic"], "verified": row.get("verified", True)},
            )
        )
    for row in data["rules"]:
        fields = {k: v for k, v in row.items() if k not in ("code", "section")}
        fields["section"] = sections.get(tuple(row["section"])) if row.get("section") else None
        RetentionRule.objects.get_or_create(code=row["code"], defaults=fields)
