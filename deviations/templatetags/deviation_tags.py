from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def span(delta):
    """A time span in days and hours, for clocks: "2 days 4 hours"."""
    if delta is None:
        return ""
    seconds = abs(int(delta.total_seconds()))
    days, hours = seconds // 86400, (seconds % 86400) // 3600
    minutes = (seconds % 3600) // 60
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours or (days and not parts):
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if not days and not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)
