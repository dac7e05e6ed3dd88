"""What leaves Hjulet from the register: the register as CSV or XLSX, one case as PDF.

- spreadsheet.py: the register's rows, as CSV and XLSX, and the access-log row of an export;
- views.py: the export and the case PDF.
"""
