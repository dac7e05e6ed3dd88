from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from audit.services import events_for


def history_for(obj, limit=50):
    """Domain events and field-level changes of one object, newest first."""
    ct = ContentType.objects.get_for_model(obj)
    events = [
        {"at": e.created_at, "actor": e.actor, "message": e.message, "changes": None}
        for e in events_for(obj)[:limit]
    ]
    changes = [
        {
            "at": e.timestamp,
            "actor": e.actor,
            "message": None,
            "action": e.get_action_display(),
            "changes": e.changes_display_dict,
        }
        for e in LogEntry.objects.filter(content_type=ct, object_pk=str(obj.pk)).select_related(
            "actor"
        )[:limit]
    ]
    return sorted(events + changes, key=lambda row: row["at"], reverse=True)[:limit]
