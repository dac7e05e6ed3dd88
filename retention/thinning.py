"""Anonymising: the record stays, so the statistics count it as before, but every free text,
identity, attachment and person linked to it goes, with the change log that kept old values.

Updates and deletes here bypass model signals on purpose: a signal would make django-auditlog
write the removed text into a new change-log entry, which is what thinning must not leave.
"""

from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

# Short text fields that may hold a person's name or contact details.
PERSONAL_CHAR_FIELDS = {
    "deviations.Deviation": ("place",),
    "deviations.AuthorityNotification": (
        "contact_name",
        "contact_phone",
        "contact_email",
        "patient_sex",
    ),
}
PERSONAL_NUMBER_FIELDS = {"deviations.AuthorityNotification": ("patient_age",)}


def _raw_delete(queryset):
    queryset._raw_delete(queryset.db)


def _blank(model_label, ids):
    """Empty the free texts and personal fields of these rows, without signals."""
    model = apps.get_model(model_label)
    values = {}
    for field in model._meta.concrete_fields:
        user_link = (
            field.is_relation
            and field.related_model is not None
            and field.related_model._meta.label == settings.AUTH_USER_MODEL
        )
        if user_link and field.null:
            values[field.attname] = None
        elif isinstance(field, models.TextField) or field.name.startswith("affected_person"):
            values[field.attname] = None if field.null else ""
        elif field.name in PERSONAL_CHAR_FIELDS.get(model_label, ()):
            values[field.attname] = ""
        elif field.name in PERSONAL_NUMBER_FIELDS.get(model_label, ()):
            values[field.attname] = None
    if values and ids:
        model.objects.filter(pk__in=ids).update(**values)


def _forget_history(model_label, ids):
    """Drop the change log and strip the event trail of these records."""
    if not ids:
        return
    content_type = ContentType.objects.get_for_model(apps.get_model(model_label))
    keys = [str(pk) for pk in ids]
    _raw_delete(LogEntry.objects.filter(content_type=content_type, object_pk__in=keys))
    Event = apps.get_model("audit.Event")
    # The wording of the events keeps what they say (classified, decided); who did it and any
    # file name go.
    for event in Event.objects.filter(content_type=content_type, object_id__in=keys):
        params = {k: ("–" if k == "name" else v) for k, v in event.params.items()}
        Event.objects.filter(pk=event.pk).update(params=params, actor=None)


def anonymise_deviations(ids):
    ids = list(ids)
    Track = apps.get_model("deviations.Track")
    Investigation = apps.get_model("deviations.Investigation")
    TimelineEntry = apps.get_model("deviations.TimelineEntry")
    Attachment = apps.get_model("deviations.Attachment")
    Notification = apps.get_model("deviations.AuthorityNotification")
    Contact = apps.get_model("deviations.AuthorityContact")
    Transition = apps.get_model("deviations.TrackTransition")

    track_ids = list(Track.objects.filter(deviation_id__in=ids).values_list("pk", flat=True))
    investigation_ids = list(
        Investigation.objects.filter(track_id__in=track_ids).values_list("pk", flat=True)
    )
    notification_ids = list(
        Notification.objects.filter(track_id__in=track_ids).values_list("pk", flat=True)
    )
    entries = TimelineEntry.objects.filter(investigation_id__in=investigation_ids)
    attachments = Attachment.objects.filter(deviation_id__in=ids)
    contacts = Contact.objects.filter(notification_id__in=notification_ids)
    removed = {
        "deviations.TimelineEntry": list(entries.values_list("pk", flat=True)),
        "deviations.Attachment": list(attachments.values_list("pk", flat=True)),
        "deviations.AuthorityContact": list(contacts.values_list("pk", flat=True)),
    }
    for attachment in attachments:
        attachment.file.delete(save=False)
    for queryset in (entries, attachments, contacts):
        _raw_delete(queryset)
    _raw_delete(Track.investigators.through.objects.filter(track_id__in=track_ids))
    kept = {
        "deviations.Deviation": ids,
        "deviations.Track": track_ids,
        "deviations.Investigation": investigation_ids,
        "deviations.AuthorityNotification": notification_ids,
        "deviations.TrackTransition": list(
            Transition.objects.filter(track_id__in=track_ids).values_list("pk", flat=True)
        ),
    }
    for label, pks in kept.items():
        _blank(label, pks)
    for label, pks in {**kept, **removed}.items():
        _forget_history(label, pks)
    return len(ids)


def anonymise_actions(ids):
    ids = list(ids)
    Action = apps.get_model("actions.Action")
    Transition = apps.get_model("actions.ActionTransition")
    transition_ids = list(Transition.objects.filter(action_id__in=ids).values_list("pk", flat=True))
    _blank("actions.Action", ids)
    # The title is required and may name a person: a dash keeps the row readable.
    Action.objects.filter(pk__in=ids).update(title="–")
    _blank("actions.ActionTransition", transition_ids)
    _forget_history("actions.Action", ids)
    _forget_history("actions.ActionTransition", transition_ids)
    return len(ids)


def anonymise_rows(kept, removed, *, personal=None):
    """Anonymise a domain app's records: `kept` {model label: ids} keep their rows with every
    free text and link to a person emptied (and the short fields named in `personal`
    {model label: field names}); `removed` {model label: ids} go, with any file they hold. Both
    lose their change log. For record types that apps register (retention/registry.py)."""
    for label, ids in removed.items():
        rows = apps.get_model(label).objects.filter(pk__in=ids)
        for row in rows:
            for field in row._meta.concrete_fields:
                if isinstance(field, models.FileField):
                    getattr(row, field.attname).delete(save=False)
        _raw_delete(rows)
    for label, ids in kept.items():
        _blank(label, ids)
        extra = (personal or {}).get(label, ())
        if extra and ids:
            apps.get_model(label).objects.filter(pk__in=ids).update(**dict.fromkeys(extra, ""))
    for label, ids in {**kept, **removed}.items():
        _forget_history(label, ids)
