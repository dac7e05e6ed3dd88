"""Numbers as the reports write them, in the page, the PDF, the Word file and the charts' texts:
1 234 and 12,5 (the active language's signs), a share as a whole percentage, "–" for nothing."""

from django.utils.formats import number_format


def is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def number(value):
    if isinstance(value, float) and not value.is_integer():
        decimals = len(f"{value:.2f}".rstrip("0").split(".")[1])
        return number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)
    return number_format(int(value), force_grouping=True)


def figure_text(figure):
    """A chapter's figure (core/chapters.Figure as JSON) as it is shown."""
    value = figure.get("value")
    if value is None:
        return "–"
    if figure.get("share"):
        return f"{number_format(round(value * 100), decimal_pos=0)} %"
    return number(value) if is_number(value) else str(value)
