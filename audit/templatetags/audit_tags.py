from django import template

from accounts.scoping import can
from audit.history import history_for

register = template.Library()


@register.inclusion_tag("audit/history.html", takes_context=True)
def history(context, obj):
    """The object's domain events and field changes, for those who may see its history."""
    user = context["request"].user
    allowed = can(user, "audit.view_history", obj)
    return {"allowed": allowed, "entries": history_for(obj) if allowed else [], "object": obj}
