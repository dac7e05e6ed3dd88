"""Reference data created after migrate: only what is missing, never overwriting edits."""

import json
from pathlib import Path

APPROVAL_FILE = Path(__file__).parent / "data" / "approval.json"


def ensure_approval_authorities(**kwargs):
    from accounts.models import Role
    from routines.models import ApprovalAuthority

    roles = {r.code: r for r in Role.objects.all()}
    for row in json.loads(APPROVAL_FILE.read_text(encoding="utf-8")):
        ApprovalAuthority.objects.get_or_create(
            node_kind=row["node_kind"],
            defaults={"role": roles.get(row["role"]), "board_decision": row["board_decision"]},
        )
