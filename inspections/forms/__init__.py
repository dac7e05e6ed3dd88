"""The forms of self-inspection: `plan.py` (plans and items), `checklist.py` (templates and
questions), `execution.py` (answers, samples, findings, effect follow-ups)."""
