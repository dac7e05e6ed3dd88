"""Which required functions a risk analysis lacks among its participants (the rule table:
risks.models.FunctionRule, data in risks/data/function_rules.json)."""

from risks.models import FunctionRule


def missing_rules(analysis, participants=None):
    """The rules that apply to the analysis (by its scope flags) and that no participant meets,
    in two queries."""
    if participants is None:
        participants = list(analysis.participants.all())
    present = {p.function_id for p in participants}
    rules = FunctionRule.objects.filter(is_active=True).prefetch_related("functions")
    missing = []
    for rule in rules:
        if not rule.applies_to(analysis):
            continue
        if not present & {f.pk for f in rule.functions.all()}:
            missing.append(rule)
    return missing


def required_functions_met_q():
    """A Q over risk analyses that have every function the active rules require of them (by
    their scope flags), in two queries (the rules and their functions); the rest lack one.
    The register filters with it and the statistics count with it, so the two agree."""
    from django.db.models import Exists, OuterRef, Q

    from risks.models import Condition, Participant

    met = Q()
    for rule in FunctionRule.objects.filter(is_active=True).prefetch_related("functions"):
        ids = [f.pk for f in rule.functions.all()]
        present = (
            Q(Exists(Participant.objects.filter(analysis=OuterRef("pk"), function_id__in=ids)))
            if ids
            else Q(pk__isnull=True)  # a rule without functions is never met
        )
        if rule.condition == Condition.HEALTH_CARE:
            met &= Q(health_care_in_scope=False) | present
        elif rule.condition == Condition.WORK_ENVIRONMENT:
            met &= Q(work_environment_in_scope=False) | present
        else:
            met &= present
    return met
