"""Deadlines in templates, worded once in legal/deadlines.py.

{% load deadline_tags %}
{{ clock|deadline }}             by 21 December / by 6 December at 14:00
{{ due|deadline:unit }}          the same from a date or datetime and a ClockUnit value
{{ clock|deadline_when }}        21 December / 6 December at 14:00
{{ clock|deadline_iso }}         for <time datetime="...">
{{ clock|met_late }}             done 2 days late, or "" when met in time
"""

from django import template

from legal import deadlines

register = template.Library()


def _due_and_unit(value, unit):
    if hasattr(value, "due_at"):
        rule = getattr(value, "rule", None)
        return value.due_at, getattr(rule, "unit", None)
    return value, unit or None


@register.filter
def deadline(value, unit=None):
    if value in (None, ""):
        return ""
    return deadlines.deadline_text(*_due_and_unit(value, unit))


@register.filter
def deadline_when(value, unit=None):
    if value in (None, ""):
        return ""
    return deadlines.deadline_when(*_due_and_unit(value, unit))


@register.filter
def deadline_iso(value, unit=None):
    if value in (None, ""):
        return ""
    return deadlines.deadline_iso(*_due_and_unit(value, unit))


@register.filter
def met_late(clock):
    if clock in (None, ""):
        return ""
    return deadlines.clock_lateness(clock)
