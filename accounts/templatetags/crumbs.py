"""Breadcrumbs that lead only where the person may go.

    {% load crumbs %}
    <nav class="breadcrumbs" aria-label="…"><ol>
      {% crumb _("Deviations") "deviations:list" %}
      {% crumb deviation.reference "deviations:detail" deviation.pk obj=deviation %}
      <li aria-current="page">…</li>
    </ol></nav>

A crumb is a link when the person may open the page (`accounts.access.may_open`, the rule the
view is marked with, and the record itself when `obj` is given) and plain text otherwise, so a
breadcrumb never leads to a refusal (403) or a page that does not exist for the person (404).
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from accounts.access import may_open

register = template.Library()


@register.simple_tag(takes_context=True)
def crumb(context, label, url_name, *args, obj=None, current=False):
    """One <li> of a breadcrumb trail to the page named `url_name` (or a path: "/…");
    `current=True` marks the page the person is on, which they have opened."""
    path = url_name if url_name.startswith("/") else reverse(url_name, args=args)
    if current:
        return format_html('<li><a href="{}" aria-current="page">{}</a></li>', path, label)
    request = context.get("request")
    user = getattr(request, "user", None)
    if may_open(user, path, obj):
        return format_html('<li><a href="{}">{}</a></li>', path, label)
    return format_html("<li>{}</li>", label)
