from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst

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


def _unit_id(obj):
    from accounts.scoping import scope_node

    try:
        node = scope_node(obj)
    except AttributeError:  # a record whose unit cannot be reached (deleted parent)
        return None
    return node.pk if node is not None else None


def log_label(obj):
    """How the access log names a record: never its free text (a title written in a lex Sarah
    investigation would reach the log's readers). A sensitive record's name is its reference;
    any other record is named by its kind and id unless it says otherwise (`access_log_label`)."""
    label = getattr(obj, "access_log_label", None)
    if label is not None:
        return str(label() if callable(label) else label)
    if getattr(type(obj), "sensitive", False) is True:
        return str(obj)
    return f"{capfirst(obj._meta.verbose_name)} {obj.pk}"


def log_read(user, obj, request=None, denied=False):
    """Write one read of a sensitive record, or (denied) one refused attempt to read it."""
    ip = client_ip(request) if request is not None else None
    return AccessLog.objects.create(
        user=user if user.is_authenticated else None,
        user_repr=f"{user} ({user.username})" if user.is_authenticated else "anonymous",
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=log_label(obj)[:200],
        path=request.get_full_path()[:400] if request is not None else "",
        ip_address=ip,
        unit_id=_unit_id(obj),
        denied=denied,
    )


def log_denied(user, obj, request=None):
    """A refused attempt (403 or 404) at a sensitive record, for loggkontroll."""
    return log_read(user, obj, request=request, denied=True)


def events_for(obj):
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
