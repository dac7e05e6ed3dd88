"""Every change to a routine and its versions goes through the modules of this package.

A version moves only along `VERSION_TRANSITIONS` (routines/models.py); each move writes a
`VersionTransition` row and an event on the routine (`record_event`), inside one transaction.
Callers import each function from the module that holds it:

- who may do what: `may_draft`, `may_approve`, `may_publish`, `holds_authority`, `readers`
  (rules.py); the state move, numbering and text shared by the others (base.py);
- writing: `create_routine`, `update_draft`, `new_version` (draft.py);
- review and approval: `submit_for_review`, `add_comment`, `send_back`, `approve` (review.py);
- publication: `publish`, `publish_due`, `withdraw`, `publish_imported` (publish.py),
  which send `version_published` / `version_ended` (routines/signals.py);
- upward proposal and the closed loop: `propose`, `decide_proposal`, `revise_from_action`
  (loop.py).

Who may: `routines.draft` at the routine's node writes, submits, sends back and abandons
drafts; the role named by ApprovalAuthority for the node's level (with `routines.approve`)
approves, publishes and withdraws; `routines.manage` follows up (acknowledgments, reviews,
coverage); `routines.import` imports documents approved before Hjulet.
`actor=None` is the system (background jobs, an import).
"""
