import json
from datetime import date
from pathlib import Path

REGISTER_FILE = Path(__file__).parent / "data" / "regulations.json"


def _date(value):
    return date.fromisoformat(value) if value else None


def ensure_register(**kwargs):
    """Create the register entries that are missing; an administrator's edits are kept."""
    from legal.models import Regulation, RegulationSection

    rows = json.loads(REGISTER_FILE.read_text(encoding="utf-8"))
    for row in rows:
        regulation, created = Regulation.objects.get_or_create(
            code=row["code"],
            defaults={
                "short_name": row.get("short_name", ""),
                "name": row["name"],
                "number": row["number"],
                "kind": row["kind"],
                "valid_from": _date(row.get("valid_from")),
                "valid_until": _date(row.get("valid_until")),
                "notes": row.get("notes", ""),
            },
        )
        if created:
            RegulationSection.objects.bulk_create(
                RegulationSection(
                    regulation=regulation,
                    reference=s["reference"],
                    topic=s["topic"],
                    valid_from=_date(s.get("valid_from")),
                    valid_until=_date(s.get("valid_until")),
                    verified=s.get("verified", True),
                    order=i,
                )
                for i, s in enumerate(row.get("sections", []))
            )
    by_code = {r.code: r for r in Regulation.objects.all()}
    for row in rows:
        successor = row.get("replaced_by")
        if successor and by_code[row["code"]].replaced_by_id is None:
            Regulation.objects.filter(code=row["code"]).update(replaced_by=by_code[successor])
