"""The one CSV writer of the app: every CSV file Hjulet hands out is written through it.

Semicolons and a byte-order mark, as Excel with Swedish settings expects. Every text cell that
a spreadsheet program would read as a formula (starts with =, +, -, @, a tab or a carriage
return: OWASP "CSV injection") gets an apostrophe in front, so a unit named
`=HYPERLINK(...)` is shown as text. Numbers stay numbers, negative ones included.
"""

import csv
import re
from decimal import Decimal

BOM = "\ufeff"
DELIMITER = ";"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A negative number written as text ("-3", "-1,5", "-2.25") is a number, not a formula.
NEGATIVE_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?")


def safe_cell(value):
    """The value as a cell no spreadsheet program runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and not NEGATIVE_NUMBER.fullmatch(text):
        return "'" + text
    return text


class _Echo:
    """A file that hands back what is written: rows become strings for a streaming response."""

    def write(self, value):
        return value


class Writer:
    """`writerow` neutralises every cell; without a file it returns the line (streaming)."""

    def __init__(self, out=None):
        self._writer = csv.writer(out if out is not None else _Echo(), delimiter=DELIMITER)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(out=None):
    """A CSV writer onto `out` (a response or a file), or a line maker when `out` is None."""
    return Writer(out)
