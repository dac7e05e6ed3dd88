"""The registry of the yearly reports' chapters: what each app contributes to the quality report
(kvalitetsberättelse, SOSFS 2011:9 7 kap) and the patient safety report (PSL 3 kap 10 §).

Core knows no app, and the reports app imports none: each app registers the function that
counts its part of a chapter from its AppConfig.ready() (registrations.py), and the reports app
reads the registry. A module that comes later adds its chapter the same way, without a change to
the reports app:

    report_chapter("5:3", "feedback.report_chapter.complaints", order=10)

The chapter's code names a chapter of reports/data/chapters.json (its title, what the regulation
asks, the rules of its proposed verdict). Several apps may fill one chapter (self-inspections and
internal control both fill 5:2); their figures are shown in their order.

A provider is `provider(scope, year)`: `scope` an organisation node (the report covers it and
everything below it), `year` a calendar year. It returns a `Part`: the figures, each with the
list of the rows behind it where there is one, the tables, and the facts the verdict rules read
(named numbers). The figures are what the register holds now; the report keeps a copy.
"""

from dataclasses import asdict, dataclass, field

from django.utils.module_loading import import_string


def share(part, whole):
    """A figure's share as the reports keep it: a fraction to three decimals; None when there
    is nothing to divide by (a verdict rule then reads nothing, rather than a vacuous 0 %)."""
    return round(part / whole, 3) if whole else None


@dataclass
class Figure:
    """One number of a chapter: "Lex Sarah-rapporter: 12". `share`: a fraction shown as a
    percentage. `url`: the list of exactly the rows counted (empty: no such list)."""

    label: str
    value: float | int | None
    share: bool = False
    url: str = ""
    note: str = ""


@dataclass
class Table:
    caption: str
    columns: list
    rows: list  # lists of cells: the first a row heading, the others numbers or text


@dataclass
class Part:
    """What one app contributes to one chapter of one report."""

    heading: str = ""
    figures: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    facts: dict = field(default_factory=dict)  # name → number, read by the verdict rules
    text: list = field(default_factory=list)  # sentences that describe the figures

    def as_json(self):
        return {
            "heading": str(self.heading),
            "figures": [
                {**asdict(f), "label": str(f.label), "note": str(f.note)} for f in self.figures
            ],
            "tables": [
                {
                    "caption": str(t.caption),
                    "columns": [str(c) for c in t.columns],
                    "rows": [
                        [c if isinstance(c, int | float) else str(c) for c in r] for r in t.rows
                    ],
                }
                for t in self.tables
            ],
            "facts": dict(self.facts),
            "text": [str(line) for line in self.text],
        }


@dataclass(frozen=True)
class ChapterSource:
    code: str
    provider: str
    order: int
    reports: tuple

    def count(self, scope, year):
        function = import_string(self.provider) if isinstance(self.provider, str) else self.provider
        return function(scope, year)


_SOURCES = {}

QUALITY = "quality"
PATIENT_SAFETY = "patient_safety"


def report_chapter(code, provider, *, order, reports=(QUALITY,)):
    """Register `provider` (a dotted path, imported when a report is written) as filling the
    chapter `code` of the reports named in `reports`."""
    _SOURCES[(code, provider)] = ChapterSource(code, provider, order, tuple(reports))


def chapter_sources(code, report):
    """The providers of chapter `code` in a report of kind `report`, in their order."""
    found = [s for s in _SOURCES.values() if s.code == code and report in s.reports]
    return sorted(found, key=lambda s: (s.order, s.provider))
