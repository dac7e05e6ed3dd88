"""The pages of self-inspection, thin, each behind the permission layer:

- `plans.py`: the plans of the person's nodes, one plan, new plan, new plan item;
- `due.py`: the occasions list (overdue, due soon, mine): the start-page figures open it;
- `checklists.py`: the checklist library, one checklist, its questions and adaptations;
- `executions.py`: carrying out a checklist, its sample and findings;
- `results.py`: compliance over time, per unit and question, as a chart and a table;
- `follow_up.py`: handing an action's effect check to a checklist question.
"""
