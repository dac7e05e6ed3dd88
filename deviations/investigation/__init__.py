"""The work on one track after triage: its steps, the seriousness, and the investigation.

- models.py: the investigation, its timeline and the catalogue of causes;
- services.py: moving the track, judging it serious, recording the investigation, the
  checks before deciding and closing;
- forms.py, views.py: the investigation page and the track's steps.
"""
