"""The pages of the yearly reports:

- `reports.py`: the list, starting a report, the report with its chapters and the progress of
  its writing.
"""
