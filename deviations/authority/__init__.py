"""Notifications to the supervisory authorities (IVO, IMY) and information to the people a
personal data breach concerns.

- models.py: the notification and the contacts with the authority after sending;
- sections.py: what each recipient's form asks for, in its own words
  (from data/authority_forms.json);
- sources.py: the named sources that prefill a draft from the case and the organisation;
- recipients.py: which notifications each kind of track leads to, and what is still owed;
- services.py: drafting, editing, recording as sent or not notified, what followed;
- packages.py: the package to send, as PDF and Word;
- forms.py, form_messages.py, views.py: the notification pages and their texts.
"""
