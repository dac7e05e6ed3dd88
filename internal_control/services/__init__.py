"""Every change to an internal control plan goes through these modules.

- `base.py`: who may do what (`may_manage`, `may_report`), the locked reads, the form tokens;
- `plans.py`: `create_plan`, `add_control_point`, `draft_from_analysis`,
  `remove_control_point`, `approve_plan`, `reopen_plan`;
- `results.py`: `record_result` (with an action for a result with remark), `create_report`,
  `approve_report`, `reopen_report`.

Who may do what: internal_control.manage at the board, above it or within its tree (the
administration manager and the quality developer of the board's administration) drafts plans
and records the board's decisions; the person responsible for a control point who holds
internal_control.report records its results. `actor=None` is the system (the demo loader).
"""
