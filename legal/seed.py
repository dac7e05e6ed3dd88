import json
from datetime import date
from pathlib import Path

REGISTER_FILE = Path(__file__).parent / "data" / "regulations.json"


def _date(value):
    return date.fromisoformat(value) if value else None


def ensure_register(**kwargs):
    """Create the register entries that are missing; an administrator's edits are kept.

    A section's counterpart (the section of the law in force it corresponds to) is set on the
    sections created here, once every entry exists: the two may be created in the same run.
    """
    from legal.models import Regulation, RegulationSection

    rows = json.loads(REGISTER_FILE.read_text(encoding="utf-8"))
    wanted_counterparts = []
    for row in rows:
        regulation, created = Regulation.objects.get_or_create(
            code=row["code"],
            defaults={
                "short_name": row.get("short_name", ""),
                "name": row["name"],
                "number": row["number"],
                "kind": row["kind"],
                "law_area": row.get("law_area", ""),
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
            wanted_counterparts += [
                ((row["code"], s["reference"]), tuple(s["counterpart"]))
                for s in row.get("sections", [])
                if s.get("counterpart")
            ]
    by_code = {r.code: r for r in Regulation.objects.all()}
    for row in rows:
        successor = row.get("replaced_by")
        if successor and by_code[row["code"]].replaced_by_id is None:
            Regulation.objects.filter(code=row["code"]).update(replaced_by=by_code[successor])
    if wanted_counterparts:
        sections = {
            (s.regulation.code, s.reference): s.pk
            for s in RegulationSection.objects.select_related("regulation")
        }
        for own, other in wanted_counterparts:
            if own in sections and other in sections:
                RegulationSection.objects.filter(pk=sections[own]).update(
                    counterpart_id=sections[other]
                )


def ensure_section(code, reference):
    """The section `reference` of the regulation `code`, created from the register data when
    the register has the regulation but not yet the section (a rule that cites it was added to
    the data after the register was seeded); None when neither is there.

    For the seed of a rule that cites the section, once, when that rule is created: a section an
    administrator later corrected or removed is not brought back."""
    from legal.models import Regulation, RegulationSection

    found = RegulationSection.objects.filter(regulation__code=code, reference=reference).first()
    regulation = Regulation.objects.filter(code=code).first()
    if found is not None or regulation is None:
        return found
    rows = json.loads(REGISTER_FILE.read_text(encoding="utf-8"))
    wanted = [
        (i, s)
        for row in rows
        if row["code"] == code
        for i, s in enumerate(row.get("sections", []))
        if s["reference"] == reference
    ]
    if not wanted:
        return None
    order, data = wanted[0]
    return RegulationSection.objects.create(
        regulation=regulation,
        reference=reference,
        topic=data["topic"],
        valid_from=_date(data.get("valid_from")),
        valid_until=_date(data.get("valid_until")),
        verified=data.get("verified", True),
        order=order,
    )


RULES_FILE = Path(__file__).parent / "data" / "rules.json"


def ensure_rules(**kwargs):
    """Create the track and deadline rules that are missing; edited rows are kept."""
    from accounts.models import Role
    from legal.models import RegulationSection
    from legal.rules import DeadlineRule, TrackRule

    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    sections = {
        (s.regulation.code, s.reference): s
        for s in RegulationSection.objects.select_related("regulation")
    }
    roles = {r.code: r for r in Role.objects.all()}
    for row in data["tracks"]:
        rule, created = TrackRule.objects.get_or_create(
            kind=row["kind"],
            defaults={
                k: row[k] for k in ("name", "definition", "guidance", "authority", "restricted")
            },
        )
        if created:
            rule.sections.set(
                sections[tuple(ref)] for ref in row["sections"] if tuple(ref) in sections
            )
            rule.reader_roles.set(roles[c] for c in row["reader_roles"] if c in roles)
    for row in data["deadlines"]:
        fields = {k: v for k, v in row.items() if k not in ("code", "section")}
        fields["section"] = sections.get(tuple(row["section"])) if row.get("section") else None
        DeadlineRule.objects.get_or_create(code=row["code"], defaults=fields)
