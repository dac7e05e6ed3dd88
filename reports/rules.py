"""The chapters of each report and the rules of their proposed verdicts, as data
(reports/data/chapters.json).

A rule reads one fact of the chapter's figures and compares it with a value: `at_least`,
`at_most`, `below` or `equals`. Every rule that can be read met: "meets"; some: "partly";
none: "fails". A rule whose fact the figures do not give (nothing to count, or no module that
counts it) is shown as not read and does not count; with no rule read there is no proposal,
and the chapter's owner judges on their own.
"""

import json
from functools import cache
from pathlib import Path

from reports.models import Verdict

DATA = Path(__file__).parent / "data" / "chapters.json"
COMPARISONS = {
    "at_least": lambda value, limit: value >= limit,
    "at_most": lambda value, limit: value <= limit,
    "below": lambda value, limit: value < limit,
    "equals": lambda value, limit: value == limit,
}


@cache
def _data():
    return json.loads(DATA.read_text(encoding="utf-8"))["reports"]


def chapters(kind):
    """The chapters of a report of `kind`, in order (dicts as in the data)."""
    return _data()[kind]["chapters"]


def report_title(kind):
    return _data()[kind]["title"]


def _comparison(rule):
    for name, compare in COMPARISONS.items():
        if name in rule:
            return compare, rule[name]
    raise ValueError(f"A rule needs one of {', '.join(COMPARISONS)}: {rule}")


def propose(rules, facts):
    """(the proposed verdict or "", the evidence: each rule with the value read and whether it
    was met; met is None when the fact was not there to read)."""
    evidence = []
    for rule in rules:
        compare, limit = _comparison(rule)
        value = facts.get(rule["fact"])
        met = None if value is None else bool(compare(value, limit))
        evidence.append({"says": rule["says"], "fact": rule["fact"], "value": value, "met": met})
    read = [row["met"] for row in evidence if row["met"] is not None]
    if not read:
        return "", evidence
    if all(read):
        return Verdict.MEETS, evidence
    return (Verdict.PARTLY if any(read) else Verdict.FAILS), evidence
