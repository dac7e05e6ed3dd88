"""The pages of the yearly reports (each finds its report through `access.visible_report`):

- `reports.py`: the list, starting a report, the report with its chapters and the progress of
  its writing; the chapter owner's verdict;
- `chapters.py`: writing a chapter together: its text, its authors, comments;
- `decision.py`: review, the board's decision and the published versions;
- `exports.py`: the report as Word and as an accessible PDF;
- `work.py`: the chapters to write or judge, and the list's filter to the reports in review
  (the lists the start page's figures open);
- `word_templates.py`: the organisation's own Word templates (each page finds its part of the
  organisation by the key `reports.write` there);
- `public.py`: the published versions for anyone, without login (/berattelser/).
"""
