"""What a report form's submission key means when it comes back.

Every report form carries a new random key. The same key arriving again is one of three things:

- the same person sending the same content again (a double tap, a retry after a lost answer, the
  Back button after filing): the report already filed is the answer, marked `repeated`, and the
  person sees its receipt with "already sent", never a second report;
- the same person sending different content under a key already used (the form brought back by
  the Back button and changed): nothing is filed and nothing is dropped silently; the view shows
  "already sent" with a link to the first report and keeps the new text, under a new key, to be
  sent as a new report if that is what the person wants;
- another person's key (a form left open on a shared phone, or a forged key): it must neither
  reveal that report nor stop this one, so the report is filed under a fresh key.
"""

import uuid

# The fields a reporter types; the unit is compared by key, the rest (the kind of event by its
# key too) by value.
CONTENT_FIELDS = (
    "occurred_at",
    "description",
    "immediate_action",
    "service_user_affected",
    "category_id",
    "place",
    "affected_person",
    "hint_lex_sarah",
    "hint_health_care",
    "hint_data_breach",
)


class SubmissionKeyReused(Exception):
    """The person's own key came back with other content; `existing` is the report filed."""

    def __init__(self, existing):
        super().__init__(existing.reference)
        self.existing = existing


def same_content(existing, unit, fields):
    if existing.unit_id != unit.pk:
        return False
    # Through an unsaved report, so a field the caller left out counts as its default.
    sent = type(existing)(unit=unit, **fields)
    return all(getattr(existing, name) == getattr(sent, name) for name in CONTENT_FIELDS)


def answer_repeat(existing, *, actor, unit, fields):
    """The report to answer a reused key with; None means "file it under a fresh key"."""
    if existing.reported_by_id != actor.pk:
        return None
    if not same_content(existing, unit, fields):
        raise SubmissionKeyReused(existing)
    existing.repeated = True
    return existing


def fresh_key():
    return uuid.uuid4()
