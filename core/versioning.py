"""Optimistic version check for every form that edits an existing record.

The form carries, in a signed hidden field, a fingerprint of the record's values as they were
loaded. At save time, inside the transaction and with the row locked, the fingerprint of what
is stored now is compared with it: if a colleague saved in between, nothing is written and the
page is shown again with both versions side by side and the person's typed values kept.
No schema change: the fingerprint is a hash of the form's own initial values.

A view uses it like this::

    form = versioning.stamp(SomeForm(request.POST or None, instance=obj))
    ...
    try:
        with versioning.guard(form, lambda: SomeForm(instance=locked_copy_of(obj))):
            services.update_something(obj, actor=..., **form.cleaned_data)
    except versioning.Conflict as conflict:
        conflict.keep(form)          # the page is rendered again, with status 409
"""

import datetime
import decimal
import hashlib
import json
from contextlib import contextmanager, suppress

from django import forms
from django.core import signing
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

FIELD = "record_version"
SALT = "core.versioning"
CONFLICT_STATUS = 409
# Keys that make a form safe to send twice: new on every page, never part of the record.
ONE_SHOT = frozenset({"form_token", "submission_key"})


def _plain(value):
    """A comparable, JSON-ready form of a field value, however the form was given it."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (models.QuerySet, list, tuple, set, frozenset)):
        return sorted(_plain(item) for item in value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value.normalize())
    if value is None:
        return ""
    if hasattr(value, "name") and not isinstance(value, str):  # a stored file
        return value.name or ""
    # Browsers send line breaks as CRLF; stored text may have either.
    return str(value).replace("\r\n", "\n").strip()


def _names(form):
    return [name for name in form.fields if name != FIELD and name not in ONE_SHOT]


def _initial(form, name):
    value = form[name].initial
    return value() if callable(value) else value


def fingerprint(*forms_):
    """A hash of the initial values of the forms (formsets: of each of their forms; dicts: of
    their values)."""
    values = []
    for form in _expand(forms_):
        if isinstance(form, dict):  # values the page shows but no field edits, e.g. a file name
            values.extend(["=", key, _plain(value)] for key, value in form.items())
            continue
        values.extend(
            [form.prefix or "", name, _plain(_initial(form, name))] for name in _names(form)
        )
    # Sorted: a form whose fields follow an unordered query must not differ from itself.
    values.sort(key=lambda entry: (entry[0], entry[1]))
    raw = json.dumps(values, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def _expand(forms_):
    for form in forms_:
        if isinstance(form, forms.BaseFormSet):
            yield from form.forms
        else:
            yield form


def token(*forms_):
    return signing.Signer(salt=SALT).sign(fingerprint(*forms_))


def stamp(form, *also):
    """Give `form` the hidden version field; an unbound form (the page as loaded) carries the
    fingerprint of its own values and of `also` (e.g. a formset edited on the same page)."""
    form.fields[FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
    if not form.is_bound:
        form.fields[FIELD].initial = token(form, *also)
    return form


def values(form):
    """The cleaned data without the version field, for services that take every field."""
    return {name: value for name, value in form.cleaned_data.items() if name != FIELD}


MISSING = object()


def submitted(form):
    """The fingerprint the page was loaded with; None when it is not ours, MISSING when the
    request carries none (a script or an older client that never loaded the page: it keeps
    last-write-wins, while every page the app renders carries the field)."""
    value = form.data.get(form.add_prefix(FIELD))
    if value is None:
        return MISSING
    try:
        return signing.Signer(salt=SALT).unsign(value)
    except signing.BadSignature:
        return None


class Conflict(Exception):
    """Someone saved the record after this person loaded it."""

    def __init__(self, current, token):
        super().__init__("the record changed since the form was loaded")
        self.current = current
        self.token = token

    def keep(self, form):
        """Keep the person's typed values in `form`, now carrying the new fingerprint, and
        attach the side-by-side comparison the form template shows."""
        form.data = form.data.copy()
        form.data[form.add_prefix(FIELD)] = self.token
        # A list, never empty: the template shows the conflict whenever it is set.
        form.version_conflict = rows(self.current, form) or [None]
        return form


@contextmanager
def guard(form, current):
    """Run the save inside one transaction, after checking the stored record is still the one
    the person loaded. `current` locks the row(s) and returns an unbound form (or a tuple of
    form and formsets) built from what is stored now; it runs inside the transaction."""
    with transaction.atomic():
        fresh = current()
        fresh = fresh if isinstance(fresh, tuple) else (fresh,)
        now = fingerprint(*fresh)
        claimed = submitted(form)
        if claimed is not MISSING and claimed != now:
            raise Conflict(fresh[0], signing.Signer(salt=SALT).sign(now))
        yield fresh[0]


def status(form):
    """The HTTP status of an edit page: 409 while it shows a conflict."""
    return CONFLICT_STATUS if getattr(form, "version_conflict", None) else 200


def _shown(field, value):
    """The value as a person reads it."""
    if value is None or value == "" or value == [] or value == ():
        return ""
    if isinstance(field, forms.ModelMultipleChoiceField):
        items = value if not isinstance(value, (str, int)) else [value]
        return ", ".join(_shown(forms.ModelChoiceField(field.queryset), item) for item in items)
    if isinstance(field, forms.ModelChoiceField) and not isinstance(value, models.Model):
        with suppress(forms.ValidationError):
            value = field.to_python(value)
        return str(value or "")
    if isinstance(value, bool) or isinstance(field, forms.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(local, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return value.isoformat()
    choices = getattr(field, "flatchoices", None) or getattr(field, "choices", None)
    if choices and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in choices}
        if isinstance(value, (list, tuple, set)):
            return ", ".join(str(labels.get(str(v), v)) for v in value)
        return str(labels.get(str(value), value))
    if hasattr(value, "name") and not isinstance(value, str):
        return value.name or ""
    return str(value)


def rows(current, form):
    """Field by field, where the two versions differ: the label, what is stored now and what
    this person typed. Hidden fields are left out: a person cannot read or type them."""
    typed = getattr(form, "cleaned_data", {})
    result = []
    for name, field in form.fields.items():
        if name == FIELD or field.widget.is_hidden:
            continue
        stored = _initial(current, name) if name in current.fields else None
        mine = typed.get(name, form[name].value())
        if _plain(stored) == _plain(mine):
            continue
        result.append(
            {
                "label": field.label or name,
                "stored": _shown(field, stored),
                "typed": _shown(field, mine),
            }
        )
    return result
