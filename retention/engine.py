"""Which records the rules thin now: the dry run, and the list an executed run works through.

When several rules apply to one record (a lex Sarah report at a contracted provider matches
both the provider's lex Sarah rule and the general deviation rule), the longest period governs:
the record is due only when every rule that applies to it says so, and it is listed under the
rule that keeps it longest.
"""

from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.scoping import scope_q
from retention import registry
from retention.models import KEY, Applies, LegalHold, RetentionRule


@dataclass
class Due:
    rule: RetentionRule
    record_type: object
    # (pk, reference, date counted from), oldest first.
    records: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.records)


def cutoff(rule, now):
    return now - relativedelta(years=rule.years, months=rule.months)


def private_unit_ids():
    """Units run by a contracted provider: their own provider record or the nearest above."""
    from django.apps import apps

    OrgNode = apps.get_model("organisation.OrgNode")
    Provider = apps.get_model("organisation.Provider")
    kinds = dict(Provider.objects.values_list("node__path", "kind"))
    ids = set()
    for pk, path in OrgNode.objects.values_list("pk", "path"):
        above = [p for p in kinds if path.startswith(p)]
        if above and kinds[max(above, key=len)] == "private":
            ids.add(pk)
    return ids


def _provider_q(rule, record_type, private_ids):
    from django.db.models import Q

    if rule.applies_to == Applies.ANY or record_type.unit_lookup is None:
        return Q()
    q = Q(**{f"{record_type.unit_lookup}__in": private_ids})
    return q if rule.applies_to == Applies.PRIVATE else ~q


def due_records(user=None, now=None, rules=None):
    """Per active rule, the records it would thin now; `user` limits them to that person's
    units (records tied to no unit are listed for anyone holding the key)."""
    now = now or timezone.now()
    if rules is None:
        rules = RetentionRule.objects.filter(is_active=True).select_related("section__regulation")
    holds = registry.Holds(LegalHold.objects.active(timezone.localdate(now)))
    private_ids = private_unit_ids()
    by_type = {}
    for rule in rules:
        if registry.get(rule.record_type) is not None:
            by_type.setdefault(rule.record_type, []).append(rule)
    results = []
    for code, type_rules in by_type.items():
        results += _due_of_type(registry.get(code), type_rules, user, now, holds, private_ids)
    return results


def _due_of_type(record_type, rules, user, now, holds, private_ids):
    base = record_type.candidates().exclude(record_type.held_q(holds))
    if user is not None:
        base = base.filter(scope_q(user, KEY, record_type.unit_lookup))
    # pk → [(rule, date counted from, due)] for every rule that applies to the record.
    verdicts = {}
    for rule in rules:
        rows = (
            base.filter(_provider_q(rule, record_type, private_ids))
            .filter(record_type.kind_q(rule.track_kind))
            .annotate(retention_from=record_type.date_expression(rule.runs_from))
            .values_list("pk", "retention_from")
        )
        limit = cutoff(rule, now)
        for pk, counted_from in rows:
            due = counted_from is not None and counted_from <= limit
            verdicts.setdefault(pk, []).append((rule, counted_from, due))
    governed = {rule.pk: [] for rule in rules}
    for pk, applying in verdicts.items():
        if not all(due for _r, _d, due in applying):
            continue
        rule, counted_from, _due = max(
            applying, key=lambda a: (a[0].years * 12 + a[0].months, -a[0].order)
        )
        governed[rule.pk].append((pk, counted_from))
    due_ids = [pk for rows in governed.values() for pk, _d in rows]
    references = {}
    for start in range(0, len(due_ids), 500):
        batch = record_type.model.objects.filter(pk__in=due_ids[start : start + 500])
        references.update(batch.values_list("pk", record_type.reference_field))
    return [
        Due(
            rule=rule,
            record_type=record_type,
            records=sorted(
                (
                    (pk, record_type.reference(references[pk]), counted_from)
                    for pk, counted_from in governed[rule.pk]
                ),
                key=lambda r: (r[2], r[0]),
            ),
        )
        for rule in rules
    ]
