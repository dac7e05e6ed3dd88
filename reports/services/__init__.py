"""Every change to a yearly report, by sub-concept (callers import from the module):

- `writing.py`: starting a report and writing it again (queued as a background task);
- `writer.py`: the task's work: each chapter counted from the registers, its verdict proposed,
  with the progress shown;
- `judging.py`: the chapter owner confirms the proposed verdict or gives another with a reason;
- `chapters.py`: writing together: the authors of each chapter, its text, comments;
- `decision.py`: review, the board's decision with a published version, a new version;
- `word_templates.py`: the organisation's own Word template, uploaded, replaced, removed, and
  the nearest one up the tree for a report's Word document.
"""
