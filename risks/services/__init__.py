"""Every change to a risk analysis goes through these modules.

- `base.py`: who may do what (`may_manage`), the locked read, the origin whitelist;
- `analysis.py`: `create_analysis`, `update_analysis`, `move` (the life cycle),
  `record_review`;
- `events.py`: `add_event`, `update_event`, `score_residual`, `remove_event`;
- `participants.py`: `add_participant`, `remove_participant`;
- `measures.py`: `add_measure` (an action whose source is the analysis or an event),
  `measures_of`.

Who may do what: `risks.manage` on the analysis's unit. `actor=None` is the system (the demo
loader, the scale data).
"""
