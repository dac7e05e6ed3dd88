"""Finding Swedish personal identity numbers in free text.

Free text must not carry a personnummer or samordningsnummer: a report's identity belongs in the
protected field that only the people handling the case see, and investigations, actions,
routines and analyses are read far more widely. `find_personal_numbers` finds them so a form can
ask the writer to remove them, and `redact` takes them out of what is shown or sent.

Recognised forms (spaces are tolerated around a dash or plus):

    YYMMDD-XXXX   YYMMDD+XXXX (born more than 100 years ago)   YYMMDDXXXX
    YYYYMMDD-XXXX   YYYYMMDD+XXXX   YYYYMMDDXXXX
    YYMMDD XXXX   YYMMDD/XXXX   YYMMDD.XXXX   YYMMDD_XXXX (the same with the century)
    YY MM DD-XXXX (the date in pairs, as read aloud)

A candidate counts only if its date is a real calendar date (a samordningsnummer adds 60 to
the day) and the ten-digit form passes the Luhn check, so ordinary dates, phone numbers and
other long numbers are not taken for one. A short form not joined by a dash or plus directly
after a phone word ("tel", "ring", "mobil" …) is read as a phone number, and "YYYYMMDD HHMM"
with a date in the last year and a tail that is a time of day as a timestamp.
"""

import re
from datetime import date, timedelta

from django.utils import timezone

# Hyphen, non-breaking hyphen, figure dash, en dash, minus: phones sometimes replace "-".
_DASHES = "-\u2010\u2011\u2012\u2013\u2212"
_BLANK = "[ \t\u00a0]"
_SPACE = rf"{_BLANK}*"
_CANDIDATE = re.compile(
    rf"""
    (?<![\d+])(?<!\d[{_DASHES}./_])       # not the tail of a longer number
    (?P<century>\d{{2}})?
    (?P<date>\d{{6}}|\d{{2}}{_BLANK}\d{{2}}{_BLANK}\d{{2}})
    (?P<sep>{_SPACE}[{_DASHES}+]{_SPACE}|{_BLANK}+|[./_])?
    (?P<tail>\d{{4}})
    (?![\d]|[.,/_{_DASHES}]\d)            # nor its head
    """,
    re.VERBOSE,
)
_PAIRED_AFTER_NUMBER = re.compile(rf"\d{_BLANK}$")
_PHONE_WORDS = re.compile(
    r"(?:\btel\b|\btfn\b|telefon|\bmobil|\bring|\bsms|\bnummer\b|\bnr\b)", re.IGNORECASE
)
_PIN_WORDS = re.compile(r"(?:person|\bpnr\b|samordning|p-nr|pers\.)", re.IGNORECASE)
_PHONE_WINDOW = 30
_SENTENCE_END = re.compile(r"[!?\n]|\.\s+(?=[A-ZÅÄÖ])")
# A "YYYYMMDD HHMM" stamp names a day of the last year; newborns are rare in these texts.
_TIMESTAMP_WINDOW = timedelta(days=366)
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


def _birth_date(century, yymmdd, today):
    """The date the number names, or None when no living person or record could carry it."""
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if century is not None:
        year = int(century) * 100 + yy
        born = _real_date(year, month, day)
        ok = born is not None and year >= EARLIEST_YEAR and born <= today
        return born if ok else None
    # Without the century the number is one of this century or the last two; 2000 + YY is a
    # leap year whenever any of them is, so it admits every date one of them could have.
    return _real_date(2000 + yy, month, day) or None


def _after_phone_word(text, start):
    """Is the number introduced as a phone number ("ring 0701234567")?"""
    before = text[max(0, start - _PHONE_WINDOW) : start]
    before = _SENTENCE_END.split(before)[-1]
    phone = [m.end() for m in _PHONE_WORDS.finditer(before)]
    if not phone:
        return False
    pin = [m.end() for m in _PIN_WORDS.finditer(before)]
    return not pin or max(phone) > max(pin)


def _is_time(tail):
    return int(tail[:2]) < 24 and int(tail[2:]) < 60


def _is_personal_number(match, text, today):
    century, written_date, sep, tail = match.group("century", "date", "sep", "tail")
    yymmdd = re.sub(r"\D", "", written_date)
    paired = len(written_date) > 6
    joined = bool(sep) and bool(set(sep) & set(_DASHES + "+"))
    if paired and (not sep or _PAIRED_AFTER_NUMBER.search(text[: match.start()])):
        return False  # "12 12 121212" or the end of a longer run of pairs: a phone number
    born = _birth_date(century, yymmdd, today)
    if born is None or not luhn_ok(yymmdd + tail):
        return False
    if century is None and not joined and _after_phone_word(text, match.start()):
        return False
    stamp = century is not None and sep and not sep.strip() and _is_time(tail)
    return not (stamp and today - born <= _TIMESTAMP_WINDOW)


def find_personal_numbers(text, today=None):
    """The personal identity numbers in `text`, as written, in order of appearance."""
    if not text:
        return []
    today = today or timezone.localdate()  # the organisation's day, not the server's
    return [m.group(0) for m in _CANDIDATE.finditer(text) if _is_personal_number(m, text, today)]


def normalise_personal_number(written, today=None):
    """The twelve digits YYYYMMDDXXXX of a number as written, or "" if it is none.

    Without the century the number is taken as born in the latest century that puts the birth
    date in the past, a hundred years earlier when written with "+" (the rule of the written
    form); an exact search should give all twelve digits.
    """
    today = today or timezone.localdate()  # the organisation's day, not the server's
    match = _CANDIDATE.fullmatch(written.strip())
    if not match or not _is_personal_number(match, written.strip(), today):
        return ""
    century, written_date, sep, tail = match.group("century", "date", "sep", "tail")
    yymmdd = re.sub(r"\D", "", written_date)
    if century is None:
        year = today.year - (today.year - int(yymmdd[:2])) % 100
        born = _real_date(year, int(yymmdd[2:4]), int(yymmdd[4:]))
        if born is None or born > today:
            year -= 100
        if sep and "+" in sep:
            year -= 100
        century = f"{year // 100:02d}"
    return f"{century}{yymmdd}{tail}"


def redact(text, replacement):
    """The text with every personal identity number replaced by `replacement`."""
    for number in find_personal_numbers(text):
        text = text.replace(number, replacement)
    return text
