import html

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from analysis import chart_svg, stats
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


def _linked(value, link):
    if link:
        return f'<a href="{html.escape(link)}">{_figure(value)}</a>'
    return str(_figure(value))


@register.simple_tag
def count(cell):
    """A count (analysis.presentation.Cell), as a link to the reports behind it where it has
    one (analysis/drilldown.py)."""
    if cell is None:
        return ""
    return mark_safe(_linked(cell.value, cell.link))


@register.simple_tag
def unit_rows(rows):
    """The rows of the units table, drawn in one go: a large municipality has hundreds of
    units, and a template loop over them would take longer than counting them. `rows`:
    (UnitFigure, link to the reports of the unit and the units below, or None)."""
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
                subtree=_linked(u.subtree, link),
            )
            for u, link in rows
        )
    )


@register.simple_tag
def bar_chart(chart, empty_text=""):
    """A bar chart (analysis/charts.py) as inline SVG, or a sentence when it has no bar."""
    return chart_svg.svg(chart, empty_text)


@register.simple_tag
def change(row):
    """A card's comparison with a year earlier (analysis.presentation.Row): "A year earlier 108,
    +12 (+11 %)"; the change left out where a figure is hidden."""
    if row.previous is None:
        return ""
    text = _("A year earlier %(n)s") % {"n": _linked(row.previous.value, row.previous.link)}
    if row.change and row.change != "–":
        text += f", {html.escape(row.change)}"
    return mark_safe(f'<span class="figure-change">{text}</span>')


@register.simple_tag
def unit_chart_rows(rows, compared):
    """The rows of the table beside the chart per unit, drawn in one go like `unit_rows`: a
    department can have a hundred units. `rows`: analysis.presentation.Row."""
    out = []
    for row in rows:
        name = html.escape(str(row.label))
        if row.label_link:
            name = f'<a href="{html.escape(row.label_link)}">{name}</a>'
        cells = f'<td class="num count">{_linked(row.current.value, row.current.link)}</td>'
        if compared and row.previous is not None:
            cells += (
                f'<td class="num">{_linked(row.previous.value, row.previous.link)}</td>'
                f'<td class="num">{html.escape(row.change)}</td>'
            )
        out.append(f'<tr><th scope="row">{name}</th>{cells}</tr>')
    return mark_safe("".join(out))
