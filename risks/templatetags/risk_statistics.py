"""The statistics page's table per unit, drawn in code: a department has a couple of hundred
units directly below it, and a template row per unit cost more than counting them."""

from django import template
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _number(value):
    """A count as the page writes numbers: below a thousand it has no separator to localise."""
    return str(value) if -1000 < value < 1000 else number_format(value)


@register.simple_tag
def unit_statistics_rows(rows):
    parts = []
    for row in rows:
        name = escape(row.node.name)
        if row.is_self:
            name = escape(_("%(node)s itself") % {"node": row.node.name})
        analyses = _number(row.analyses)
        if row.analyses:
            analyses = f'<a href="{escape(row.link)}" data-count="{row.analyses}">{analyses}</a>'
        parts.append(
            f'<tr data-node="{row.node.pk}"><th scope="row">{name}</th>'
            f'<td class="num">{analyses}</td>'
            f'<td class="num">{_number(row.high)}</td>'
            f'<td class="num">{_number(row.measures)}</td></tr>\n'
        )
    return mark_safe("".join(parts))
