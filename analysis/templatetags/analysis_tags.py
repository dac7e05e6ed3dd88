import html

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe

from analysis import stats
from analysis.suppression import is_hidden

register = template.Library()


@register.filter
def percent(fraction):
    """A fraction as a whole percentage, "28 %", or "–" when there is nothing to divide by."""
    if is_hidden(fraction):
        return str(fraction)
    value = stats.percent(fraction)
    if value is None:
        return "–"
    return f"{formats.number_format(value, 0)}\u00a0%"


@register.filter
def paragraph(value):
    """The stored paragraph number as written in minutes: "§ 17"."""
    return f"§\u00a0{value}" if value else ""


def _figure(value):
    # A hidden figure reads as words (analysis/suppression.py); a count as a whole number.
    return html.escape(str(value)) if is_hidden(value) else int(value)


@register.simple_tag
def unit_rows(units):
    """The rows of the units table, drawn in one go: a large municipality has hundreds of
    units, and a template loop over them would take longer than counting them."""
    row = (
        '<tr class="unit-row" data-level="{level}"><th scope="row" class="level-{level}">{name}'
        '</th><td class="num">{own}</td><td class="num subtree">{subtree}</td></tr>'
    )
    return mark_safe(
        "".join(
            row.format(
                level=int(u.level),
                name=html.escape(str(u.name)),
                own=_figure(u.own),
                subtree=_figure(u.subtree),
            )
            for u in units
        )
    )
