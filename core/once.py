"""A form sent twice makes one record.

Every form that creates a record carries a one-time token (core/forms.py), stored unique on the
record. A second send, after the first has finished, finds the first record by the token
(`earlier_send`); two sends at the same moment both pass that look-up, and the database's
unique constraint stops the second save (`save_once`), which then answers with the first.
Either way the record says `just_created = False`, so the view shows it instead of a new one.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _


def earlier_send(model, form_token, may_reuse=None):
    """The record an earlier send of the same form created, or None.

    `may_reuse(record)` false means the token came back in someone else's hands: refused, so
    a copied form cannot be used to open a record the person may not see.
    """
    if form_token is None:
        return None
    existing = model.objects.filter(form_token=form_token).first()
    if existing is None:
        return None
    if may_reuse is not None and not may_reuse(existing):
        raise ValidationError(_("This form has already been used. Open a new form."))
    existing.just_created = False
    return existing


def save_once(obj, form_token, may_reuse=None):
    """Save a new record in a savepoint. When the unique token stops it, the record the other
    send made, refused as `earlier_send` refuses it."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        existing = earlier_send(type(obj), form_token, may_reuse)
        if existing is None:
            raise
        return existing
    obj.just_created = True
    return obj
