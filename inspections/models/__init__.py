"""The models of self-inspection (egenkontroll), by sub-concept.

- `checklist.py`: the methods of the general advice (data), checklist templates shared down the
  tree and their local adaptations with the changes recorded, and their questions;
- `plan.py`: the yearly plan of a node, its items and each item's occasions (due dates);
- `execution.py`: an execution of a checklist, its answers, the sample drawn for a record
  review, its findings, and the effect follow-ups handed over from actions;
- `reminder.py`: the claim rows of the reminders about occasions.
"""

from inspections.models.checklist import (  # noqa: F401
    ChecklistTemplate,
    Method,
    Question,
    TemplateChange,
)
from inspections.models.execution import (  # noqa: F401
    Answer,
    EffectFollowUp,
    Execution,
    ExecutionTransition,
    Finding,
    FindingTransition,
    Sample,
)
from inspections.models.plan import InspectionPlan, Occasion, PlanItem  # noqa: F401
from inspections.models.reminder import InspectionReminder  # noqa: F401
