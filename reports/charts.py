"""Bar charts of a report's tables, as images for the Word document (PNG) and the PDF (JPEG).

A table of a chapter part (core/chapters.py `Table`: a caption, columns, rows whose first cell
is the row heading) gets a chart when it has at least two rows and a column of numbers: one
horizontal bar per row for its first such column, labelled with the row heading and the value.
The table itself stays in the document; the chart only makes its sizes visible. Each chart has
a text alternative that states every number, so a reader who cannot see the image hears the
same figures ("Stapeldiagram: Avvikelser per enhet (Rapporter). Hemtjänst Norr: 12; …").

Pillow draws it, in a font with å, ä and ö (DejaVu Sans, which the PDF needs as well; Pillow's
own default font lacks them and is only the fallback). A table of more than `MAX_BARS` rows gets
no chart: a hundred bars are no easier to read than the table.
"""

import io
from dataclasses import dataclass
from functools import cache, cached_property

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from reports.numbers import is_number, number

MAX_BARS = 30
# Drawn for a text width of about 17 cm at 150 dots per inch, the labels at about 9 pt: sharp
# on screen and legible in print, and few enough pixels that twenty charts of thirty bars add
# about half a second to a report's PDF (drawn, encoded, and laid out by WeasyPrint).
WIDTH = 1000
DPI = 150  # the size Word shows when its picture is reset to its own size: 17 cm wide
JPEG_QUALITY = 92
MARGIN = 12
LABEL_SIZE = 19
TITLE_SIZE = 22
BAR = 24
GAP = 9
# Dark blue on white (contrast 8.6:1), text nearly black: legible also printed in grey.
BAR_COLOUR = (31, 78, 121)
TEXT_COLOUR = (17, 17, 17)
BACKGROUND = (255, 255, 255)
INK, AXIS, PAPER, BAR_LEVEL = 0, 90, 254, 255


def _palette():
    levels = []
    for level in range(PAPER + 1):
        share = level / PAPER
        levels += [round(t + (b - t) * share) for t, b in zip(TEXT_COLOUR, BACKGROUND, strict=True)]
    return levels + list(BAR_COLOUR)


PALETTE = _palette()


@dataclass
class Chart:
    title: str
    alt: str
    image: Image.Image  # palette image (mode "P")

    @property
    def width(self):
        return self.image.width

    @property
    def height(self):
        return self.image.height

    @cached_property
    def png(self):
        """For Word: the palette image, one byte a pixel."""
        buffer = io.BytesIO()
        self.image.save(buffer, format="PNG", compress_level=6, dpi=(DPI, DPI))
        return buffer.getvalue()

    @cached_property
    def jpeg(self):
        """For the PDF: a JPEG without chroma subsampling (its text as sharp as in a PNG at
        this quality). WeasyPrint copies a JPEG into the PDF as it is, while it decodes a PNG
        and encodes it again (twice from a palette), which took longer than drawing it."""
        buffer = io.BytesIO()
        self.image.convert("RGB").save(
            buffer, format="JPEG", quality=JPEG_QUALITY, subsampling=0, dpi=(DPI, DPI)
        )
        return buffer.getvalue()


@cache
def _font(size, bold=False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return ImageFont.load_default(size=size)


def numeric_column(table):
    """The index of the table's first column of numbers (never the row headings), or None."""
    rows = table.get("rows") or []
    for index in range(1, len(table.get("columns") or [])):
        if rows and all(len(row) > index and is_number(row[index]) for row in rows):
            return index
    return None


def _chartable(table):
    rows = table.get("rows") or []
    if not 2 <= len(rows) <= MAX_BARS:
        return None
    index = numeric_column(table)
    if index is None:
        return None
    values = [row[index] for row in rows]
    if min(values) < 0 or max(values) <= 0:
        return None
    return index


def alt_text(caption, column, labels, values):
    shown = "; ".join(
        f"{label}: {number(value)}" for label, value in zip(labels, values, strict=True)
    )
    return _("Bar chart: %(caption)s (%(column)s). %(values)s.") % {
        "caption": caption,
        "column": column,
        "values": shown,
    }


def _fit(draw, text, font, width):
    """The text, cut with an ellipsis to fit `width` pixels (the alt text keeps it whole)."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(draw, text, font, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _draw(title, labels, values):
    label_font, title_font = _font(LABEL_SIZE), _font(TITLE_SIZE, bold=True)
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    inner = WIDTH - 2 * MARGIN
    title_lines = _wrap(measure, title, title_font, inner)
    title_height = len(title_lines) * int(TITLE_SIZE * 1.3) + GAP
    shown = [number(v) for v in values]
    label_width = min(
        max(measure.textlength(label, font=label_font) for label in labels), inner * 0.4
    )
    value_width = max(measure.textlength(text, font=label_font) for text in shown)
    bar_left = MARGIN + label_width + GAP
    bar_room = WIDTH - MARGIN - value_width - GAP - bar_left
    height = MARGIN + title_height + len(values) * (BAR + GAP) + MARGIN

    # Drawn in grey levels, then coloured by a palette: a PNG of one byte per pixel is written
    # three times faster than one of three bytes. Text is the 255 levels from its colour (0)
    # to the background (254), which its smoothed edges need; the bars alone are level 255.
    image = Image.new("L", (WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    y = MARGIN
    for line in title_lines:
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += int(TITLE_SIZE * 1.3)
    y += GAP
    top = y
    largest = max(values)
    for label, value, text in zip(labels, values, shown, strict=True):
        middle = y + BAR / 2
        draw.text(
            (bar_left - GAP, middle),
            _fit(draw, label, label_font, label_width),
            font=label_font,
            fill=INK,
            anchor="rm",
        )
        length = round(bar_room * value / largest)
        if length:
            draw.rectangle((bar_left, y, bar_left + length, y + BAR), fill=BAR_LEVEL)
        draw.text(
            (bar_left + length + GAP / 2, middle), text, font=label_font, fill=INK, anchor="lm"
        )
        y += BAR + GAP
    draw.line((bar_left, top - GAP / 2, bar_left, y - GAP / 2), fill=AXIS, width=2)
    coloured = Image.frombytes("P", image.size, image.tobytes())
    coloured.putpalette(PALETTE)
    return coloured


def chart_of(table):
    """The chart of a table (a chapter part's table as JSON), or None when it has none."""
    index = _chartable(table)
    if index is None:
        return None
    rows = table["rows"]
    labels = [str(row[0]) for row in rows]
    values = [row[index] for row in rows]
    column = str(table["columns"][index])
    title = f"{table['caption']} ({column})"
    image = _draw(title, labels, values)
    return Chart(title=title, alt=alt_text(table["caption"], column, labels, values), image=image)
