"""The legal references of a case: the law in force on the case's date for its unit's law areas.

The case's date is the day the report was made: the duties to investigate and notify run from
it. The choice of sections is legal/citations.py's; this module only names the case's date and
unit, so that the case page, triage, the notification packages and the reminder e-mails all
cite the same.
"""

from django.utils import timezone

from legal.citations import deadline_references, law_areas_for, references_for_kinds

# What a clock needs loaded for its citation: Clock.objects.select_related(*CLOCK_RELATED).
CLOCK_RELATED = ("rule__section__regulation", "rule__section__counterpart__regulation")


def case_date(deviation):
    return timezone.localdate(deviation.reported_at)


class CaseLaw:
    """The citations of one case, computed once per page (a handful of queries)."""

    def __init__(self, deviation):
        self.on = case_date(deviation)
        self.areas = law_areas_for(deviation.unit)
        self._by_kind = {}

    def references(self, kinds):
        """{kind: Citations} for the track kinds."""
        missing = [k for k in kinds if k not in self._by_kind]
        if missing:
            self._by_kind.update(references_for_kinds(missing, self.areas, self.on))
        return {k: self._by_kind[k] for k in kinds}

    def track(self, kind):
        return self.references([kind])[kind]

    def deadline(self, rule):
        """What a clock of this rule cites on this case (Citations, perhaps empty)."""
        track_references = self.track(rule.track) if rule.track else None
        return deadline_references(rule, self.areas, self.on, track_references)

    def mark_clocks(self, clocks):
        """Sets clock.legal_reference (a string, perhaps empty) on each clock; returns them."""
        clocks = list(clocks)
        for clock in clocks:
            clock.legal_reference = str(self.deadline(clock.rule))
        return clocks


def clock_reference(clock):
    """The legal reference of one clock, for its reminder e-mail."""
    return str(CaseLaw(clock.deviation).deadline(clock.rule))
