from django import template

from accounts.scoping import can
from audit.history import full_history_url, history_page

register = template.Library()

PANEL_LIMIT = 10


@register.inclusion_tag("audit/history.html", takes_context=True)
def history(context, obj, limit=PANEL_LIMIT):
    """The object's domain events and field changes, for those who may see its history.

    Shows the newest `limit` rows; when there are more, a link to the full history page.
    Renders nothing at all for people without `audit.view_history` on the object.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can(user, "audit.view_history", obj):
        return {"allowed": False}
    entries, has_more = history_page(obj, 0, limit, user=user)
    return {
        "allowed": True,
        "entries": entries,
        "object": obj,
        "full_url": full_history_url(obj) if has_more else None,
    }
