"""The risks app's models, by sub-concept.

- `matrix.py`: `RiskMatrix`, the scoring matrix each organisation configures (size, axis labels,
  risk levels with thresholds and colours), and `Score`;
- `rules.py`: `ParticipantFunction` and `FunctionRule`, the rule table of which functions a
  risk analysis needs (data: risks/data/*.json, editable in the admin);
- `analysis.py`: `RiskAnalysis` with its life cycle (`TRANSITIONS`), `RiskAnalysisTransition`,
  `Participant`, `RiskEvent` and `RiskReminder` (the claims of the review reminders).
"""

from risks.models.analysis import (  # noqa: F401
    MANAGE,
    OPEN_STATUSES,
    TRANSITIONS,
    VIEW,
    Participant,
    ReminderKind,
    RiskAnalysis,
    RiskAnalysisTransition,
    RiskEvent,
    RiskReminder,
    Status,
    SubjectKind,
    allowed_targets,
    needs_reason,
)
from risks.models.matrix import RiskMatrix, Score  # noqa: F401
from risks.models.rules import Condition, FunctionRule, ParticipantFunction  # noqa: F401
