"""Every change to a routine and its versions goes through these functions.

A version moves only along `VERSION_TRANSITIONS` (routines/models.py); each move writes a
`VersionTransition` row and an event on the routine (`record_event`), inside one transaction.
The functions live in services_*.py by theme and are gathered here for other modules:

- writing: `create_routine`, `update_draft`, `new_version` (services_draft.py);
- review and approval: `submit_for_review`, `add_comment`, `send_back`, `approve`
  (services_review.py);
- publication: `publish`, `publish_due`, `withdraw`, `publish_imported` (services_publish.py),
  which send `version_published` / `version_ended` (routines/signals.py);
- upward proposal and the closed loop: `propose`, `decide_proposal`, `revise_from_action`
  (services_loop.py).

Who may: `routines.draft` at the routine's node writes, submits, sends back and abandons
drafts; the role named by ApprovalAuthority for the node's level (with `routines.approve`)
approves, publishes and withdraws; `routines.manage` follows up (acknowledgments, reviews,
coverage); `routines.import` imports documents approved before Hjulet.
`actor=None` is the system (background jobs, an import).
"""

from routines.models import VERSION_TRANSITIONS
from routines.services_base import (
    OPEN_STATES,
    add_months,
    approval_authority,
    body_text,
    holds_authority,
    may_approve,
    may_draft,
    may_import,
    may_manage,
    may_publish,
    open_version,
    readers,
)
from routines.services_draft import create_routine, new_version, update_draft
from routines.services_loop import (
    decide_proposal,
    may_decide,
    may_propose,
    propose,
    revise_from_action,
)
from routines.services_publish import publish, publish_due, publish_imported, withdraw
from routines.services_review import (
    add_comment,
    approve,
    is_reviewer,
    may_comment,
    send_back,
    submit_for_review,
)

__all__ = [
    "OPEN_STATES",
    "VERSION_TRANSITIONS",
    "add_comment",
    "add_months",
    "approval_authority",
    "approve",
    "body_text",
    "create_routine",
    "decide_proposal",
    "holds_authority",
    "is_reviewer",
    "may_approve",
    "may_comment",
    "may_decide",
    "may_draft",
    "may_import",
    "may_manage",
    "may_propose",
    "may_publish",
    "new_version",
    "open_version",
    "propose",
    "publish",
    "publish_due",
    "publish_imported",
    "readers",
    "revise_from_action",
    "send_back",
    "submit_for_review",
    "update_draft",
    "withdraw",
]
