"""Matching the legal references of an import index ("SoL 14 kap 2 §") against the register.

A routine links to `legal.RegulationSection` rows, and the register holds sections as ranges
("14 kap 2–7 §§", "24 a–f §§", "3 kap", "artikel 33"). A reference in the index names the law
(short name, number, code or name: "SoL", "SFS 2001:453", "SOSFS 2011:9", "Socialtjänstlagen")
and then a chapter and section; it matches the register's section whose range contains it, so
"SoL 14 kap 2 §" finds "14 kap 2–7 §§". When several sections fit, the narrowest wins, then the
one in force on the routine's effective date. The register itself is data; nothing here names a
law.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from legal.models import Regulation

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
WHOLE = 10**6
ARTICLE = re.compile(r"^(?:art|artikel|article)\s*(?P<from>\d+)(?:-(?P<to>\d+))?$")
SECTION = re.compile(
    r"^(?:(?P<chapter>\d+)\s*kap)?\s*"
    r"(?:(?P<from>\d+)\s*(?P<fl>[a-z])?(?:-\s*(?P<to>\d+)?\s*(?P<tl>[a-z])?)?\s*§)?$"
)
REGULATION_NUMBER = re.compile(r"\d{4}:\d+")


def normalise(text):
    """One spelling for the many ways a reference is typed: case, dashes, "kap.", "§§"."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    for dash in DASHES:
        text = text.replace(dash, "-")
    text = text.replace("§§", "§").replace("paragraferna", "§").replace("paragraf", "§")
    text = re.sub(r"\bkap(?:itlet|itel)?\.?", "kap", text)
    text = re.sub(r"\bart(?:ikel|icle)?\.?(?=\s*\d)", "artikel ", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"(?<=[0-9a-z])§", " §", text)
    return " ".join(text.split())


def parse_range(text):
    """(kind, chapter, low, high) of a normalised section text, or None.

    low and high are (number, letter) pairs, so "6 f" lies between "6" and "7".
    """
    match = ARTICLE.match(text)
    if match:
        low = int(match["from"])
        high = int(match["to"]) if match["to"] else low
        return ("article", None, (low, ""), (high, ""))
    match = SECTION.match(text)
    if not match or not (match["chapter"] or match["from"]):
        return None
    chapter = int(match["chapter"]) if match["chapter"] else None
    if not match["from"]:
        return ("section", chapter, (0, ""), (WHOLE, ""))
    low = (int(match["from"]), match["fl"] or "")
    if match["to"] or match["tl"]:
        high = (int(match["to"]) if match["to"] else low[0], match["tl"] or "")
    else:
        high = low
    return ("section", chapter, low, high)


def _contains(outer, inner):
    return (
        outer[0] == inner[0]
        and outer[1] == inner[1]
        and outer[2] <= inner[2]
        and inner[3] <= outer[3]
    )


def _width(parsed):
    (low, low_letter), (high, high_letter) = parsed[2], parsed[3]
    return (high - low) * 100 + (ord(high_letter or "`") - ord(low_letter or "`"))


def _in_force(obj, on):
    return (obj.valid_from is None or obj.valid_from <= on) and (
        obj.valid_until is None or obj.valid_until >= on
    )


@dataclass
class Match:
    sections: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


class LegalMatcher:
    """The register read once per import; `match(text, on)` for each row's references."""

    def __init__(self):
        self.regulations = list(Regulation.objects.prefetch_related("sections"))
        self.names = []
        for regulation in self.regulations:
            number = regulation.number or ""
            spellings = {
                regulation.code,
                regulation.short_name,
                number,
                number.split(" ", 1)[-1] if " " in number else "",
                regulation.name,
                f"{regulation.name}en",
            }
            for spelling in spellings:
                if spelling:
                    self.names.append((normalise(spelling), regulation))
        # Longest first, so "SOSFS 2011:9" is not read as the law "SFS 2011:9…".
        self.names.sort(key=lambda item: -len(item[0]))

    def match(self, text, on):
        """The sections of one cell (references separated by semicolons, commas or lines)."""
        result = Match()
        for reference in split_references(text):
            section, error, warning = self._one(reference, on)
            if error:
                result.errors.append(error)
            elif section not in result.sections:
                result.sections.append(section)
                if warning:
                    result.warnings.append(warning)
        return result

    def _regulations(self, text):
        for spelling, _regulation in self.names:
            if text == spelling or text.startswith(spelling + " "):
                found = [r for s, r in self.names if s == spelling]
                return list(dict.fromkeys(found)), text[len(spelling) :].strip()
        return [], text

    def _one(self, reference, on):
        text = normalise(reference)
        regulations, rest = self._regulations(text)
        if not regulations:
            return (
                None,
                _("the law “%(ref)s” is not in the register of laws") % {"ref": reference},
                None,
            )
        # "SoL (2001:453) 14 kap 2 §": a number in brackets tells the two laws named SoL apart.
        bracket = re.match(r"^\((?P<inner>[^)]*)\)\s*", rest)
        if bracket:
            numbers = REGULATION_NUMBER.findall(bracket["inner"])
            narrowed = [r for r in regulations if any(n in r.number for n in numbers)]
            regulations = narrowed or regulations
            rest = rest[bracket.end() :]
        wanted = parse_range(rest)
        candidates = []
        for regulation in regulations:
            for section in regulation.sections.all():
                own = normalise(section.reference)
                if own == rest:
                    candidates.append((-1, section, regulation))
                    continue
                parsed = parse_range(own)
                if wanted and parsed and _contains(parsed, wanted):
                    candidates.append((_width(parsed), section, regulation))
        if not candidates:
            known = "; ".join(s.reference for r in regulations for s in r.sections.all()) or _(
                "no sections"
            )
            return (
                None,
                _(
                    "the legal reference “%(ref)s” matches no section in the register (registered "
                    "for this law: %(known)s)"
                )
                % {"ref": reference, "known": known},
                None,
            )
        best = min(c[0] for c in candidates)
        candidates = [c for c in candidates if c[0] == best]
        if len(candidates) > 1:
            current = [c for c in candidates if _in_force(c[1], on) and _in_force(c[2], on)]
            candidates = current or candidates
        if len({c[1].pk for c in candidates}) > 1:
            return (
                None,
                _(
                    "the legal reference “%(ref)s” fits several sections (%(which)s): add the "
                    "law's number, e.g. “SoL (2001:453) 14 kap 2 §”"
                )
                % {"ref": reference, "which": "; ".join(str(c[1]) for c in candidates)},
                None,
            )
        _width_, section, regulation = candidates[0]
        return section, None, self._warning(reference, section, regulation, on)

    @staticmethod
    def _warning(reference, section, regulation, on):
        if not (_in_force(section, on) and _in_force(regulation, on)):
            return _(
                "the legal reference “%(ref)s” (%(section)s) is not in force on the routine's "
                "effective date: check whether the routine should refer to a newer law"
            ) % {"ref": reference, "section": section}
        if not section.verified:
            return _("the legal reference “%(ref)s” points at an unverified section") % {
                "ref": reference
            }
        return None


def split_references(text):
    parts = re.split(r"[;\n,]", str(text or ""))
    return [p.strip() for p in parts if p.strip()]
