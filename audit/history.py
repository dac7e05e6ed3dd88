"""One object's history: readable domain events merged with auditlog's field-level changes.

A service usually saves the object and records its event in the same moment: the field changes
of that save are shown under the event ("Details changed by Ada Admin: Name: A → B"). Changes
with no event of their own (the Django admin, a migration, a shell) get a row of their own.

Values are shown for people: field labels are the model's verbose names, foreign keys are the
related object's name, booleans are yes/no, choices their label. Secret fields (passwords,
tokens) are never shown, even if a model was registered without excluding them.
"""

import datetime
import re
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from audit.services import events_for

# A field change and an event by the same person this close in time are one row.
PAIRING_WINDOW = datetime.timedelta(seconds=5)
# Values longer than this are cut (a changed description is still recognisable).
VALUE_MAX_LENGTH = 300

# Field names whose values must never be shown, whatever a model's registration says.
SECRET_FIELD = re.compile(
    r"password|passw|secret|token|otp|api_?key|private_?key|session_key", re.I
)

# Internal bookkeeping fields that mean nothing to a reader: "app_label.model" → field names.
# A model may also list its own in a `history_hidden_fields` attribute.
HIDDEN_FIELDS = {
    "organisation.orgnode": {"path", "depth"},
}


def hide_fields(model, *names):
    """Keep these fields of `model` out of the history panel (internal bookkeeping)."""
    HIDDEN_FIELDS.setdefault(model._meta.label_lower, set()).update(names)


@dataclass
class FieldChange:
    label: str
    old: str = ""
    new: str = ""
    # "value" (old → new), "initial" (value at creation), "added"/"removed" (many-to-many).
    kind: str = "value"
    items: list = field(default_factory=list)


@dataclass
class HistoryEntry:
    at: datetime.datetime
    actor: object
    message: str
    changes: list = field(default_factory=list)
    source: str = "event"  # "event" or "change"
    actor_id: int | None = None

    @property
    def actor_name(self):
        return str(self.actor) if self.actor is not None else _("the system")


def _hidden(model, name):
    if SECRET_FIELD.search(name):
        return True
    if name in HIDDEN_FIELDS.get(model._meta.label_lower, ()):
        return True
    return name in getattr(model, "history_hidden_fields", ())


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _order(model, name):
    """Fields in the order the model declares them; fields no longer on the model last."""
    model_field = _model_field(model, name)
    counter = getattr(model_field, "creation_counter", None)
    return (0, counter, name) if counter is not None else (1, 0, name)


def _label(model, name, model_field):
    if auditlog.contains(model):
        mapping = auditlog.get_model_fields(model).get("mapping_fields") or {}
        if name in mapping:
            return str(mapping[name])
    if model_field is not None and getattr(model_field, "verbose_name", None):
        return capfirst(str(model_field.verbose_name))
    return capfirst(name.replace("_", " "))


def _is_empty(raw):
    return raw is None or raw in ("", "None")


def _related_keys(model, changes):
    """(related model, pk) pairs to look up for the foreign-key values of `changes`."""
    for name, values in changes.items():
        model_field = _model_field(model, name)
        if model_field is None or not (model_field.many_to_one or model_field.one_to_one):
            continue
        if not isinstance(values, (list, tuple)):
            continue
        related = model_field.related_model
        if related is None:  # a generic relation names no single model
            continue
        for raw in values:
            if _is_empty(raw):
                continue
            try:
                yield related, related._meta.pk.to_python(raw)
            except (ValidationError, TypeError, ValueError):
                continue


def _load_related(wanted):
    """One query per related model: {(model, pk): str(obj)}."""
    by_model = {}
    for related, pk in wanted:
        by_model.setdefault(related, set()).add(pk)
    names = {}
    for related, pks in by_model.items():
        for obj in related._base_manager.filter(pk__in=pks):
            names[(related, obj.pk)] = str(obj)
    return names


def _display(model_field, raw, related_names):
    """A stored value (auditlog keeps strings) as a person should read it."""
    if _is_empty(raw):
        return ""
    if model_field is None:
        return _truncate(str(raw))
    if model_field.many_to_one or model_field.one_to_one:
        related = model_field.related_model
        try:
            pk = related._meta.pk.to_python(raw)
        except (ValidationError, TypeError, ValueError):
            return _truncate(str(raw))
        name = related_names.get((related, pk))
        if name is None:
            return _("deleted (id %(id)s)") % {"id": raw}
        return _truncate(name)
    if getattr(model_field, "choices", None):
        labels = {str(key): label for key, label in model_field.flatchoices}
        return str(labels.get(str(raw), raw))
    if isinstance(model_field, models.BooleanField):
        if str(raw) in ("True", "true", "1"):
            return _("yes")
        if str(raw) in ("False", "false", "0"):
            return _("no")
        return str(raw)
    if isinstance(model_field, models.DateTimeField):
        try:
            value = datetime.datetime.fromisoformat(str(raw))
        except ValueError:
            return str(raw)
        if timezone.is_naive(value):
            # auditlog stores date-times as naive UTC.
            value = value.replace(tzinfo=datetime.UTC)
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(model_field, models.DateField):
        try:
            return formats.date_format(datetime.date.fromisoformat(str(raw)[:10]), "Y-m-d")
        except ValueError:
            return str(raw)
    return _truncate(str(raw))


def _truncate(text):
    return text if len(text) <= VALUE_MAX_LENGTH else text[: VALUE_MAX_LENGTH - 1] + "…"


def field_changes(model, changes, related_names, created=False):
    """Readable changes of one log entry, secrets and bookkeeping fields left out."""
    rows = []
    for name, values in sorted((changes or {}).items(), key=lambda item: _order(model, item[0])):
        if _hidden(model, name):
            continue
        model_field = _model_field(model, name)
        if model_field is not None and (
            not model_field.concrete or getattr(model_field, "primary_key", False)
        ):
            continue  # reverse relations and the id say nothing about the record itself
        label = _label(model, name, model_field)
        if isinstance(values, dict) and values.get("type") == "m2m":
            kind = "added" if values.get("operation") == "add" else "removed"
            items = [_truncate(str(item)) for item in values.get("objects", [])]
            rows.append(FieldChange(label=label, kind=kind, items=items))
            continue
        if not isinstance(values, (list, tuple)) or len(values) != 2:
            continue
        old = _display(model_field, values[0], related_names)
        new = _display(model_field, values[1], related_names)
        if created:
            if new:
                rows.append(FieldChange(label=label, new=new, kind="initial"))
        elif old != new:
            rows.append(FieldChange(label=label, old=old, new=new))
    return rows


def _change_message(action, actor_name):
    if action == LogEntry.Action.CREATE:
        return _("Created by %(actor)s") % {"actor": actor_name}
    if action == LogEntry.Action.DELETE:
        return _("Deleted by %(actor)s") % {"actor": actor_name}
    return _("Changed by %(actor)s") % {"actor": actor_name}


def _merge(events, log_entries, model):
    """Rows newest first: events with the field changes made alongside them, then lone changes."""
    wanted = []
    for log_entry in log_entries:
        wanted.extend(_related_keys(model, log_entry.changes_dict))
    related_names = _load_related(wanted)

    rows = [
        HistoryEntry(
            at=event.created_at,
            actor=event.actor,
            actor_id=event.actor_id,
            message=event.message,
        )
        for event in events
    ]
    # A model whose service records a readable creation event ("Reported by …") names its verb
    # in `history_created_verb`: that event tells the creation, and auditlog's list of every
    # initial field value is left out of the history.
    created_verb = getattr(model, "history_created_verb", None)
    told = created_verb is not None and any(e.verb == created_verb for e in events)
    for log_entry in log_entries:
        if told and log_entry.action == LogEntry.Action.CREATE:
            continue
        changes = field_changes(
            model,
            log_entry.changes_dict,
            related_names,
            created=log_entry.action == LogEntry.Action.CREATE,
        )
        partner = _partner(rows, log_entry)
        if partner is not None:
            partner.changes.extend(changes)
            continue
        if not changes and log_entry.action == LogEntry.Action.UPDATE:
            continue  # only bookkeeping fields changed
        entry = HistoryEntry(
            at=log_entry.timestamp,
            actor=log_entry.actor,
            actor_id=log_entry.actor_id,
            message="",
            changes=changes,
            source="change",
        )
        entry.message = _change_message(log_entry.action, entry.actor_name)
        rows.append(entry)
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows


def _partner(rows, log_entry):
    """The event this change belongs to: same person, recorded just after the save (services
    save first, then record the event), or failing that just before it."""
    after = before = None
    for row in rows:
        if row.source != "event" or row.actor_id != log_entry.actor_id:
            continue
        gap = row.at - log_entry.timestamp
        if abs(gap) > PAIRING_WINDOW:
            continue
        if gap >= datetime.timedelta(0):
            if after is None or gap < after[0]:
                after = (gap, row)
        elif before is None or -gap < before[0]:
            before = (-gap, row)
    best = after or before
    return best[1] if best else None


def history_page(obj, offset=0, limit=50, user=None):
    """(entries, has_more): `limit` rows of the object's history from `offset`, newest first.

    A model may hide some of its events from some readers (a deviation hides the judgements of
    restricted tracks from those who may not read them): `obj.history_event_filter(user)`
    returns a predicate on events. Without a user nothing is hidden (commands, the system).
    """
    model = type(obj)
    ct = ContentType.objects.get_for_model(obj)
    # Rows pair an event with its changes, so fetch generously from both sources: the rows
    # shown are then built from complete pairs.
    fetch = 3 * (offset + limit) + 10
    events = list(events_for(obj)[:fetch])
    if user is not None and hasattr(obj, "history_event_filter"):
        events = list(filter(obj.history_event_filter(user), events))
    log_entries = list(
        LogEntry.objects.filter(content_type=ct, object_pk=str(obj.pk))
        .select_related("actor")
        .order_by("-timestamp", "-pk")[:fetch]
    )
    rows = _merge(events, log_entries, model)
    return rows[offset : offset + limit], len(rows) > offset + limit


def history_for(obj, limit=50, user=None):
    """The object's newest `limit` history rows (events and field changes), newest first."""
    return history_page(obj, 0, limit, user=user)[0]


def has_full_view(model):
    """The full history page needs the model's own visibility rule (`visible_to`)."""
    return hasattr(model._default_manager.all(), "visible_to")


def full_history_url(obj):
    if not has_full_view(type(obj)):
        return None
    ct = ContentType.objects.get_for_model(obj)
    return reverse("audit:history", args=[ct.pk, str(obj.pk)])
