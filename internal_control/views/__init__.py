"""The internal control pages.

- `plans.py`: the register, a plan's page, creating a plan, drafting it from the yearly risk
  analysis, control points, the board's decision, reopening, the overdue list;
- `results.py`: recording a result, the reports to the board;
- `exports.py`: the plan and the report as PDF and DOCX (internal_control/documents.py).
"""
