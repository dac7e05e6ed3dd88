"""Which legal references a case cites: the law in force on its date, for its unit's law areas.

A track's references are the register sections its rule lists (TrackRule.sections), across law
areas and over time: for lex Sarah SoL 2001:453 14 kap 2–7 §§ (until 2025-06-30), SoL 2025:400
27 kap 2–6 §§ (from 2025-07-01) and LSS 24 a–f §§. A case cites those that are

- verified (a section not checked against the law text is never cited),
- in force on the case's date, the section and its law alike, and
- of the law areas of the case's unit (the areas of the laws the unit and the units above it
  have stated apply); a regulation without a law area (SOSFS 2011:9) applies in every area.

When the unit has stated none of the track's law areas (nothing stated, or lex Maria at a unit
that stated only SoL), every area of the track is cited and the result says so (`assumed`).
A section with a counterpart (a SOSFS 2011:9 section, a repealed law's section) is cited with the
section of the law in force it corresponds to, when that is verified and in force on the date.

Every page, package and e-mail that shows a reference calls these functions, and the register is
read each time, so an administrator's correction in the register changes them all.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from legal.models import Applicability, LawArea, RegulationSection
from legal.rules import TrackRule

AREA_ORDER = {value: i for i, value in enumerate(LawArea.values)}
SECTION_RELATED = ("regulation", "counterpart__regulation")


@dataclass(frozen=True)
class Citation:
    text: str  # "SoL (2025:400) 27 kap 2–6 §§"
    counterpart: str = ""  # "SoL (2025:400) 5 kap 1–2 §§" for a SOSFS 2011:9 section
    law_area: str = ""
    section_id: int | None = None

    def __str__(self):
        if self.counterpart:
            return _("%(reference)s, compare %(counterpart)s") % {
                "reference": self.text,
                "counterpart": self.counterpart,
            }
        return self.text


class Citations(list):
    """The citations of one track; `assumed` when the unit had stated none of its law areas."""

    assumed = False

    def __str__(self):
        return "; ".join(str(c) for c in self)


def law_areas_for(node):
    """The law areas of the laws stated at the node and at the nodes above it (one query)."""
    if node is None:
        return frozenset()
    areas = (
        Applicability.objects.filter(node_id__in=node.ancestor_ids())
        .exclude(regulation__law_area="")
        .values_list("regulation__law_area", flat=True)
        .distinct()
    )
    return frozenset(areas)


def _counterpart(section, on, areas):
    other = section.counterpart
    if other is None or not other.verified:
        return ""
    if on is not None and not other.in_force_on(on):
        return ""
    area = other.regulation.law_area
    if areas and area and area not in areas:
        return ""
    return other.citation


def cite(section, on=None, areas=None):
    """One section as a Citation; its counterpart is shown when in force on `on` (None: not
    checked) and of one of `areas` (None or empty: any)."""
    return Citation(
        text=section.citation,
        counterpart=_counterpart(section, on, areas),
        law_area=section.regulation.law_area,
        section_id=section.pk,
    )


def pick(sections, law_areas, on):
    """Citations of the sections that apply on `on` to a unit of `law_areas` (see the module)."""
    sections = list(sections)
    valid = [s for s in sections if s.verified and s.in_force_on(on)]
    # The unit's areas are matched against every area the track names, so that a SoL unit whose
    # SoL section is unverified cites nothing rather than LSS.
    stated = {s.regulation.law_area for s in sections} & set(law_areas or ())
    track_areas = {s.regulation.law_area for s in valid if s.regulation.law_area}
    chosen = stated or track_areas
    picked = [s for s in valid if not s.regulation.law_area or s.regulation.law_area in chosen]
    picked.sort(
        key=lambda s: (
            AREA_ORDER.get(s.regulation.law_area, len(AREA_ORDER)),
            s.regulation.valid_from or date.min,
            s.order,
            s.reference,
        )
    )
    # A counterpart of another law area than the unit's is left out (SoL beside SOSFS 2011:9
    # at an LSS unit).
    counterpart_areas = chosen or set(law_areas or ())
    result = Citations(cite(s, on, counterpart_areas) for s in picked)
    result.assumed = not stated and len(track_areas) > 1
    return result


def rules_on(on, kinds=None):
    """{kind: TrackRule} of the rules in force on `on`, with their sections (two queries)."""
    rules = TrackRule.objects.in_force(on).order_by("kind", "-valid_from")
    if kinds is not None:
        rules = rules.filter(kind__in=list(kinds))
    sections = RegulationSection.objects.select_related(*SECTION_RELATED)
    by_kind = {}
    for rule in rules.prefetch_related(Prefetch("sections", queryset=sections)):
        by_kind.setdefault(rule.kind, rule)
    return by_kind


def references_for_kinds(kinds, law_areas, on):
    """{kind: Citations} for each track kind, as `references_for`."""
    rules = rules_on(on, kinds)
    return {
        kind: pick(rules[kind].sections.all(), law_areas, on) if kind in rules else Citations()
        for kind in kinds
    }


def references_for(track_kind, law_areas, on):
    """The citations of a track of this kind, for a unit of `law_areas`, on the case's date."""
    return references_for_kinds([track_kind], law_areas, on)[track_kind]


def deadline_references(rule, law_areas, on, track_references=None):
    """What a deadline cites: its own section when that applies to the case (verified, in force
    on the date, and the track cites no other law area), otherwise the references of its track
    (the rule names a law not in force on the date, or the unit works under other areas too)."""
    if track_references is None:
        track_references = references_for(rule.track, law_areas, on) if rule.track else Citations()
    section = rule.section
    if section is not None:
        own = pick([section], law_areas, on)
        areas = {c.law_area for c in track_references if c.law_area}
        if own and (not rule.track or areas <= {section.regulation.law_area}):
            return own
    return track_references
