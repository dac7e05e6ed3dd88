"""Finding Swedish personal identity numbers in free text.

A report's free text must not carry a personnummer or samordningsnummer: those belong in the
protected field that only the people handling the case see. `find_personal_numbers` finds them
so the form can ask the reporter to move them.

Recognised forms (spaces are tolerated around the separator):

    YYMMDD-XXXX   YYMMDD+XXXX (born more than 100 years ago)   YYMMDDXXXX
    YYYYMMDD-XXXX   YYYYMMDDXXXX

A candidate counts only if its date is a real calendar date (a samordningsnummer adds 60 to
the day) and the ten-digit form passes the Luhn check, so ordinary dates, phone numbers and
other long numbers are not taken for one. A ten-digit number without a separator directly
after a phone word ("tel", "ring", "mobil" …) is read as a phone number.
"""

import re
from datetime import date

# Hyphen, non-breaking hyphen, figure dash, en dash, minus: phones sometimes replace "-".
_DASHES = "-\u2010\u2011\u2012\u2013\u2212"
_SPACE = r"[ \t\u00a0]*"
_CANDIDATE = re.compile(
    rf"""
    (?<![\d+])(?<!\d[{_DASHES}])          # not the tail of a longer number
    (?P<century>\d{{2}})?
    (?P<yymmdd>\d{{6}})
    (?P<sep>{_SPACE}[{_DASHES}+]{_SPACE})?
    (?P<tail>\d{{4}})
    (?!\d)                              # nor its head
    """,
    re.VERBOSE,
)
_PHONE_WORDS = re.compile(
    r"(?:\btel\b|\btfn\b|telefon|\bmobil|\bring|\bsms|\bnummer\b|\bnr\b)", re.IGNORECASE
)
_PIN_WORDS = re.compile(r"(?:person|\bpnr\b|samordning|p-nr|pers\.)", re.IGNORECASE)
_PHONE_WINDOW = 30
_SENTENCE_END = re.compile(r"[!?\n]|\.\s+(?=[A-ZÅÄÖ])")
EARLIEST_YEAR = 1850


def luhn_ok(digits):
    """The Luhn check of the ten-digit form (weights 2, 1, 2, … from the left)."""
    total = 0
    for i, char in enumerate(digits):
        product = int(char) * (2 if i % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def _real_date(year, month, day):
    if day > 60:
        day -= 60  # samordningsnummer
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _plausible(century, yymmdd, today):
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if century is not None:
        year = int(century) * 100 + yy
        born = _real_date(year, month, day)
        return born is not None and year >= EARLIEST_YEAR and born <= today
    # Without the century the number is one of this century or the last two; 2000 + YY is a
    # leap year whenever any of them is, so it admits every date one of them could have.
    return _real_date(2000 + yy, month, day) is not None


def _after_phone_word(text, start):
    """Is the number introduced as a phone number ("ring 0701234567")?"""
    before = text[max(0, start - _PHONE_WINDOW) : start]
    before = _SENTENCE_END.split(before)[-1]
    phone = [m.end() for m in _PHONE_WORDS.finditer(before)]
    if not phone:
        return False
    pin = [m.end() for m in _PIN_WORDS.finditer(before)]
    return not pin or max(phone) > max(pin)


def find_personal_numbers(text, today=None):
    """The personal identity numbers in `text`, as written, in order of appearance."""
    if not text:
        return []
    today = today or date.today()
    found = []
    for match in _CANDIDATE.finditer(text):
        century, yymmdd, sep, tail = match.group("century", "yymmdd", "sep", "tail")
        if century is not None and sep and "+" in sep:
            continue  # "+" stands only in the short form
        if not _plausible(century, yymmdd, today) or not luhn_ok(yymmdd + tail):
            continue
        if century is None and not sep and _after_phone_word(text, match.start()):
            continue
        found.append(match.group(0))
    return found
