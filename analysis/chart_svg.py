"""The SVG markup of a bar chart (analysis/charts.py computes the geometry): presentation
attributes only, no script and no style attribute, so that the page's content security policy
holds.

Written here rather than in a template: a statistics page draws some fifty bars, and a template
loop over them cost more than the figures behind them.
"""

from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.templatetags.labels import colon


def _n(value):
    # Coordinates as Python writes them ("12.5"), never localised ("12,5").
    return str(value)


def _bar(chart, bar):
    label = escape(bar.label)
    value = escape(str(bar.value))
    parts = [
        f'<g class="chart-bar" data-label="{label}" data-value="{value}">',
        f"<title>{escape(colon(bar.label))} {value}</title>",
    ]
    text = f'font-size="{chart.font_size}" fill="{chart.text_fill}"'
    if chart.kind == "horizontal":
        parts.append(
            f'<text x="{_n(bar.label_x)}" y="{_n(bar.label_y)}" text-anchor="end" {text}>'
            f"{escape(bar.short_label)}</text>"
        )
    elif bar.show_label:
        parts.append(
            f'<text x="{_n(bar.label_x)}" y="{_n(bar.label_y)}" text-anchor="middle" {text}>'
            f"{escape(bar.short_label)}</text>"
        )
    parts.append(
        f'<rect x="{_n(bar.x)}" y="{_n(bar.y)}" width="{_n(bar.width)}" '
        f'height="{_n(bar.height)}" fill="{chart.fill}"></rect>'
    )
    if bar.show_value:
        anchor = ' text-anchor="middle"' if chart.kind == "columns" else ""
        parts.append(
            f'<text class="chart-value" x="{_n(bar.value_x)}" y="{_n(bar.value_y)}"{anchor} '
            f"{text}>{value}</text>"
        )
    parts.append("</g>")
    return "".join(parts)


def svg(chart, empty_text=""):
    """The chart as inline SVG with its text alternative, or a sentence when it has no bar."""
    if chart.empty:
        text = empty_text or _("Nothing recorded in the period.")
        return mark_safe(
            f'<p class="muted chart-empty" id="{escape(chart.id)}-empty">{escape(str(text))}</p>'
        )
    x1, y1, x2, y2 = chart.axis
    return mark_safe(
        f'<svg class="chart" id="{escape(chart.id)}" role="img" '
        f'aria-labelledby="{escape(chart.id)}-title" viewBox="0 0 {chart.width} {chart.height}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart.id)}-title">{escape(chart.summary)}</title>'
        + "".join(_bar(chart, bar) for bar in chart.bars)
        + f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
        f'stroke="{chart.axis_stroke}" stroke-width="1"></line></svg>'
    )
