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


@register.filter
def excerpt(text, length=80):
    """The start of a free text for a list: one line, cut on a word, "…" when cut."""
    words = " ".join(str(text or "").split())
    if len(words) <= length:
        return words
    cut = words[: length + 1].rsplit(" ", 1)[0] if " " in words[:length] else words[:length]
    return cut.rstrip(" ,.;:–-") + "…"
