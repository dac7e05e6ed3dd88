"""A column chart of compliance per period as inline SVG, in the manner of analysis/chart_svg.py:
presentation attributes only (no script, no style attribute), a title that summarises it for a
screen reader, and a table beside it on the page with the same figures."""

from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 480, 220, 16, 28, 48
FILL, TEXT, AXIS = "#1f5f8b", "#1b1b1b", "#595959"


def compliance_svg(chart_id, points, summary):
    """`points`: [(label, percent or None)]. A sentence when there is nothing to draw."""
    drawn = [(label, value) for label, value in points if value is not None]
    if not drawn:
        text = _("No completed self-inspections in the period.")
        return mark_safe(
            f'<p class="muted chart-empty" id="{escape(chart_id)}-empty">{escape(text)}</p>'
        )
    inner = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(points), 1)
    bar = min(48, slot * 0.6)
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(summary)}</title>',
    ]
    for mark in (0, 50, 100):
        y = TOP + inner * (1 - mark / 100)
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{TEXT}">{mark} %</text>'
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" stroke="#d0d0d0" '
            'stroke-width="1"></line>'
        )
    for i, (label, value) in enumerate(points):
        x = LEFT + slot * i + (slot - bar) / 2
        center = x + bar / 2
        label_text = escape(str(label))
        shown = "" if value is None else value
        parts.append(f'<g class="chart-bar" data-label="{label_text}" data-value="{shown}">')
        parts.append(f"<title>{label_text}: {'–' if value is None else f'{value} %'}</title>")
        if value is not None:
            height = inner * value / 100
            y = TOP + inner - height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                f'fill="{FILL}"></rect>'
                f'<text x="{center:.1f}" y="{max(y - 4, TOP + 10):.1f}" text-anchor="middle" '
                f'font-size="11" fill="{TEXT}">{value} %</text>'
            )
        parts.append(
            f'<text x="{center:.1f}" y="{HEIGHT - 10}" text-anchor="middle" font-size="11" '
            f'fill="{TEXT}">{label_text}</text></g>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + inner}" x2="{WIDTH}" y2="{TOP + inner}" '
        f'stroke="{AXIS}" stroke-width="1"></line></svg>'
    )
    return mark_safe("".join(parts))
