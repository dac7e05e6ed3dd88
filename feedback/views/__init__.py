"""The pages of feedback:

- `public.py`: the public form (no login), the receipt and the private status page;
- `register.py`: the list of a person's feedback, one feedback's page, registration by staff;
- `steps.py`: the handling steps (acknowledge, forward, note, answer, pass praise on, close,
  reopen; release or discard what was held);
- `release.py`: marking what is secret or personal, and the masked copy released as a public
  document;
- `statistics.py`: the statistics page.
"""
