"""The risk analyses' pages.

- `register.py`: the register (paginated, filtered: ?overdue=1, ?waiting=1, ?mine=1, and
  from the statistics ?year=&node=&subject_kind=&functions=present|missing);
- `analysis.py`: one analysis's page, creating (from a process, an aggregated analysis or a
  unit's change) and editing it, its moves and its review;
- `parts.py`: participants, events, the residual score and measures;
- `statistics.py`: the statistics per year and part of the organisation (risks/report_figures.py),
  each count of analyses a link to the register filtered to exactly those rows.

Everyone with `risks.view` sees the analyses of the units in their scope; `risks.manage` on
the analysis's unit is needed to change anything (403 for a reader, 404 outside the scope).
"""
