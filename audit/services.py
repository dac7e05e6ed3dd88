from django.contrib.contenttypes.models import ContentType

from audit.models import AccessLog, Event
from core.client_ip import client_ip


def record_event(obj, verb, actor, **params):
    """Write a readable domain event; call inside the service's transaction."""
    return Event.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        verb=verb,
        params={k: str(v) for k, v in params.items()},
        actor=actor if actor is not None and actor.is_authenticated else None,
    )


def log_read(user, obj, request=None):
    ip = client_ip(request) if request is not None else None
    return AccessLog.objects.create(
        user=user if user.is_authenticated else None,
        user_repr=f"{user} ({user.username})" if user.is_authenticated else "anonymous",
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        path=request.get_full_path()[:400] if request is not None else "",
        ip_address=ip,
    )


def events_for(obj):
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
