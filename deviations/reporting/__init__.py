"""The care worker's side: filing a report, its files, the receipt and My reports.

- forms.py: the report form;
- keys.py: what a submission key that comes back means;
- attachments.py: the files a report may carry, checked;
- views.py: the report form, the receipt, My reports, the unit's link and QR code.

Filing itself is `deviations.services.report`: the report is the case's first step.
"""
