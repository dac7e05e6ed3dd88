"""Rule data created after migrate (risks/data/*.json): only what is missing, never
overwriting an organisation's edits. Connected to post_migrate in RisksConfig.ready()."""

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _read(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def ensure_default_matrix():
    from risks.models import RiskMatrix

    if RiskMatrix.objects.filter(root=None).exists():
        return
    row = _read("default_matrix.json")
    RiskMatrix.objects.create(root=None, is_example=True, **row)


def ensure_function_rules():
    from risks.models import FunctionRule, ParticipantFunction

    functions = {}
    for row in _read("functions.json"):
        function, _created = ParticipantFunction.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "order": row["order"]}
        )
        functions[function.code] = function
    for row in _read("function_rules.json"):
        rule, created = FunctionRule.objects.get_or_create(
            code=row["code"],
            defaults={
                "condition": row["condition"],
                "text": row["text"],
                "reference": row.get("reference", ""),
            },
        )
        if created:
            rule.functions.set(functions[code] for code in row["functions"])


def ensure_risk_data(**kwargs):
    ensure_default_matrix()
    ensure_function_rules()
