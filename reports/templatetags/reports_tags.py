from django import template
from django.utils.formats import number_format

from reports.numbers import figure_text, is_number, number

register = template.Library()

VERDICT_CLASS = {"meets": "badge--ok", "partly": "badge--warn", "fails": "badge--bad"}


@register.filter
def verdict_class(verdict):
    return VERDICT_CLASS.get(verdict, "badge--muted")


@register.filter
def fact(value):
    """A fact as people read it: a share (0–1 with decimals) as a percentage."""
    if isinstance(value, float) and 0 <= value <= 1:
        return f"{number_format(round(value * 100), decimal_pos=0)} %"
    return number_format(value) if isinstance(value, int | float) else value


@register.filter
def figure(data):
    return figure_text(data)


@register.filter
def cell(value):
    """A table's cell: a number as the charts write it (1 234; 12,5), text as it is."""
    return number(value) if is_number(value) else value
