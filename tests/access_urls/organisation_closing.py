"""Object URLs of closing and reopening units (issue 8)."""

OBJECT_URLS = {
    "organisation:node_reopen": (lambda c: {"pk": c.unit_a.pk}, "post", True),
    "organisation:node_move_cases": (lambda c: {"pk": c.unit_a.pk}, "post", True),
}
