from django import template
from django.utils import formats

from analysis import stats

register = template.Library()


@register.filter
def percent(fraction):
    """A fraction as a whole percentage, "28 %", or "–" when there is nothing to divide by."""
    value = stats.percent(fraction)
    if value is None:
        return "–"
    return f"{formats.number_format(value, 0)}\u00a0%"


@register.filter
def paragraph(value):
    """The stored paragraph number as written in minutes: "§ 17"."""
    return f"§\u00a0{value}" if value else ""
