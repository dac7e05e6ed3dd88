"""A reference number kept on one line: "AV-2026-000009", never "AV-2026-" / "000009".

    {% load references %}<td>{{ deviation.reference|ref }}</td>

Browsers may break a line after a hyphen, and reference numbers are made of hyphens; the
class `ref` (static/css/hjulet.css) keeps them whole, in tables and on narrow screens alike.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def ref(value):
    if value in (None, ""):
        return ""
    return format_html('<span class="ref">{}</span>', value)
