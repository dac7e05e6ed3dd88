"""Every state change of self-inspection, by sub-concept (callers import from the module):

- `common.py`: the permission checks shared by the others;
- `checklist.py`: templates, their questions, local adaptations with the changes recorded;
- `plan.py`: yearly plans, their items and occasions;
- `sample.py`: the reproducible draw of records for a record review;
- `execution.py`: starting, answering and completing an execution (counts, findings);
- `finding.py`: a finding becomes an action or is closed with a reason;
- `follow_up.py`: an action's effect check handed to a checklist question, and recorded from
  the next execution that answers it.
"""
