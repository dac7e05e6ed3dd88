"""Server-drawn bar charts: the geometry of an inline SVG, computed here, drawn by
analysis/chart_svg.py with presentation attributes only (no script, no style attribute).

A chart is a picture of a table shown beside it; the table is the accessible version.
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from analysis.suppression import number

WIDTH = 640
BAR_FILL = "#1d5a8a"  # 7:1 against white: a bar is visible without relying on hue
TEXT_FILL = "#1a1a1a"
AXIS_STROKE = "#5c6670"
FONT_SIZE = 13


@dataclass
class Bar:
    label: str
    value: int
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    label_x: float = 0
    label_y: float = 0
    value_x: float = 0
    value_y: float = 0
    short_label: str = ""
    show_label: bool = True
    show_value: bool = True


@dataclass
class Chart:
    id: str
    title: str
    kind: str
    bars: list = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    axis: tuple = (0, 0, 0, 0)
    summary: str = ""
    fill: str = BAR_FILL
    text_fill: str = TEXT_FILL
    axis_stroke: str = AXIS_STROKE
    font_size: int = FONT_SIZE

    @property
    def empty(self):
        return not any(bar.value for bar in self.bars)


# A hidden figure (analysis/suppression.py) draws no bar; its text says it is hidden.


def _shorten(label, length):
    label = str(label)
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def _summary(title, rows):
    if not rows or not any(value for _label, value in rows):
        return _("Bar chart: %(title)s. No reports. The figures are in the table below.") % {
            "title": title
        }
    label, value = max(rows, key=lambda row: number(row[1]))
    if not number(value):
        # Every figure hidden (analysis/suppression.py): no "highest" to name.
        return _("Bar chart: %(title)s. The figures are in the table below.") % {"title": title}
    return _(
        "Bar chart: %(title)s. Highest: %(label)s, %(value)s. "
        "The same figures are in the table below."
    ) % {"title": title, "label": label, "value": value}


def horizontal(chart_id, title, rows, *, label_width=220, value_width=56, row_height=28):
    """One bar per row, label on the left, value at the end of the bar."""
    pad = 8
    bar_area = WIDTH - label_width - value_width - pad
    top = max((number(value) for _label, value in rows), default=0) or 1
    chart = Chart(id=chart_id, title=title, kind="horizontal", summary=_summary(title, rows))
    max_chars = max(8, int(label_width / (FONT_SIZE * 0.55)))
    for i, (label, value) in enumerate(rows):
        y = pad + i * row_height
        width = round(number(value) / top * bar_area, 1)
        chart.bars.append(
            Bar(
                label=str(label),
                value=value,
                short_label=_shorten(label, max_chars),
                x=label_width,
                y=y + 4,
                width=width,
                height=row_height - 8,
                label_x=label_width - 6,
                label_y=y + row_height / 2 + FONT_SIZE / 3,
                value_x=label_width + width + 6,
                value_y=y + row_height / 2 + FONT_SIZE / 3,
            )
        )
    chart.height = pad * 2 + max(len(rows), 1) * row_height
    chart.axis = (label_width, pad, label_width, chart.height - pad)
    return chart


def columns(chart_id, title, rows, *, height=220):
    """One column per row (e.g. per month), value above, label below."""
    left, right, top_pad, bottom = 8, 8, 22, 30
    n = max(len(rows), 1)
    slot = (WIDTH - left - right) / n
    bar_width = max(2.0, round(slot * 0.62, 1))
    plot = height - top_pad - bottom
    top = max((number(value) for _label, value in rows), default=0) or 1
    every = math.ceil(n / 12)
    chart = Chart(
        id=chart_id,
        title=title,
        kind="columns",
        height=height,
        summary=_summary(title, rows),
    )
    baseline = height - bottom
    for i, (label, value) in enumerate(rows):
        bar_height = round(number(value) / top * plot, 1)
        x = left + i * slot + (slot - bar_width) / 2
        chart.bars.append(
            Bar(
                label=str(label),
                value=value,
                short_label=_shorten(label, 6),
                show_label=i % every == 0,
                show_value=slot >= 22,
                x=round(x, 1),
                y=round(baseline - bar_height, 1),
                width=bar_width,
                height=bar_height,
                label_x=round(x + bar_width / 2, 1),
                label_y=baseline + FONT_SIZE + 4,
                value_x=round(x + bar_width / 2, 1),
                value_y=round(baseline - bar_height - 5, 1),
            )
        )
    chart.axis = (left, baseline, WIDTH - right, baseline)
    return chart
