"""What a register extract is made of: records found by the modules that hold data about
people, and what article 15 says must accompany them.

A module that keeps data about named people registers a finder with `register_finder`. A finder
takes (user, kind, digest), where digest is the keyed hash of the normalised number or name
(core/crypto.py), and returns `Record`s within the person's grants of `privacy.subject_access`.
The purposes, legal bases, recipients and retention of each record type are data, in
privacy/data/record_types.json, in both interface languages.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils import translation

DATA = Path(__file__).parent / "data" / "record_types.json"
_FINDERS = []


@dataclass
class Part:
    """One part of a record (a legal track of a report): its heading, facts and a note."""

    heading: str
    facts: list = field(default_factory=list)  # [(label, value)]
    note: str = ""


@dataclass
class Record:
    obj: object  # the record itself, for the access log
    record_type: str  # a key of record_types.json
    title: str
    unit: str
    facts: list  # [(label, value)]: the data about the person
    parts: list = field(default_factory=list)
    recipients: list = field(default_factory=list)  # [(recipient, date)]
    url: str = ""  # the record's page, when the person may open it


def register_finder(finder):
    if finder not in _FINDERS:
        _FINDERS.append(finder)


def find_records(user, kind, digest):
    return [record for finder in _FINDERS for record in finder(user, kind, digest)]


@cache
def _record_types():
    return json.loads(DATA.read_text(encoding="utf-8"))


def article_15(record_types):
    """[(type, {purpose, legal_basis, …})] in the interface language, for the types found."""
    language = "sv" if (translation.get_language() or "sv").startswith("sv") else "en"
    types = _record_types()
    return [
        (name, {key: text[language] for key, text in types[name].items()})
        for name in dict.fromkeys(record_types)
        if name in types
    ]


def rights():
    """The data subject's rights, in the interface language."""
    language = "sv" if (translation.get_language() or "sv").startswith("sv") else "en"
    return _record_types()["rights"]["text"][language]
