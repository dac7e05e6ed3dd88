"""Every change to an aggregated analysis goes through these functions.

Who may do what: `analysis.manage` on the analysis's scope node writes, changes and records
the board's decision; the measures are actions created through actions.services.create_action,
which also checks that the actor may manage actions in the chosen unit.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can
from actions.services import create_action
from analysis import stats, together
from analysis.models import MANAGE, TRANSITIONS, AggregatedAnalysis, AnalysisStatus
from audit.services import record_event
from core.decisions import clean_decision
from deviations.models import Deviation
from organisation.models import OrgNode

EDITABLE_FIELDS = ("title", "period_from", "period_to", "scope", "findings")
DECISION_FIELDS = ("decision_body", "decision_date", "paragraph", "registry_number")


def figures_for(scope, period_from, period_to):
    """The key figures of every report, and of the feedback, in the scope's subtree for the
    period (a snapshot).

    The document's numbers do not depend on who saves it: whoever may manage analyses for the
    scope node gets the whole subtree's counts, which hold no personal data.
    """
    deviations = Deviation.objects.filter(unit__path__startswith=scope.path)
    nodes = list(OrgNode.objects.subtree_of(scope))
    result = stats.compute(deviations, start=period_from, end=period_to, nodes=nodes)
    figures = result.as_snapshot()
    # The complaints and opinions of the same period and units, beside the deviations.
    figures["feedback"] = together.snapshot(scope, period_from, period_to, result)
    return figures


def _check_manage(actor, node):
    if not can(actor, MANAGE, node):
        raise PermissionDenied


def _clean(fields):
    errors = {}
    title = " ".join((fields.get("title") or "").split())
    findings = (fields.get("findings") or "").strip()
    start, end = fields.get("period_from"), fields.get("period_to")
    if not title:
        errors["title"] = _("Give the analysis a title.")
    if not findings:
        errors["findings"] = _("Describe what the analysis found.")
    if start is None:
        errors["period_from"] = _("Give the first day of the period.")
    if end is None:
        errors["period_to"] = _("Give the last day of the period.")
    if start and end:
        if end < start:
            errors["period_to"] = _("The period ends before it starts.")
        elif len(stats.months_between(start, end)) > stats.MAX_MONTHS:
            errors["period_to"] = _("A period can be at most %(months)s months long.") % {
                "months": stats.MAX_MONTHS
            }
    if fields.get("scope") is None:
        errors["scope"] = _("Choose the part of the organisation the analysis covers.")
    if errors:
        raise ValidationError(errors)
    return {**fields, "title": title, "findings": findings}


def _take_figures(analysis):
    analysis.figures = figures_for(analysis.scope, analysis.period_from, analysis.period_to)
    analysis.figures_taken_at = timezone.now()


@transaction.atomic
def create_analysis(*, actor, scope, title, period_from, period_to, findings):
    """Write a draft analysis; its key figures are taken from the register now."""
    fields = _clean(
        {
            "scope": scope,
            "title": title,
            "period_from": period_from,
            "period_to": period_to,
            "findings": findings,
        }
    )
    _check_manage(actor, fields["scope"])
    analysis = AggregatedAnalysis(**fields, created_by=actor)
    _take_figures(analysis)
    analysis.save()
    record_event(analysis, "analysis.created", actor, title=analysis.title)
    return analysis


@transaction.atomic
def update_analysis(analysis, *, actor, **fields):
    """Change a draft; the figures are taken again. Returns the names of the changed fields."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    analysis = AggregatedAnalysis.objects.select_for_update().get(pk=analysis.pk)
    _check_manage(actor, analysis.scope)
    if analysis.status != AnalysisStatus.DRAFT:
        raise ValidationError(_("A decided analysis can no longer be changed."), code="decided")
    current = {name: getattr(analysis, name) for name in EDITABLE_FIELDS}
    fields = _clean({**current, **fields})
    if fields["scope"] != analysis.scope:
        _check_manage(actor, fields["scope"])
    changed = [name for name in EDITABLE_FIELDS if fields[name] != current[name]]
    for name in changed:
        setattr(analysis, name, fields[name])
    _take_figures(analysis)
    analysis.save()
    labels = [str(AggregatedAnalysis._meta.get_field(name).verbose_name) for name in changed]
    record_event(analysis, "analysis.updated", actor, fields=", ".join(labels) or "–")
    return changed


@transaction.atomic
def decide_analysis(analysis, *, actor, decision_body, decision_date, paragraph, registry_number):
    """Record the board's decision (body, date, §, Dnr): the analysis becomes decided.

    From then on neither the text nor the figures change.
    """
    analysis = AggregatedAnalysis.objects.select_for_update().get(pk=analysis.pk)
    _check_manage(actor, analysis.scope)
    source, target = TRANSITIONS["decide"]
    if analysis.status != source:
        raise ValidationError(_("The analysis has already been decided."), code="state")
    decision = clean_decision(
        decision_body=decision_body,
        decision_date=decision_date,
        paragraph=paragraph,
        registry_number=registry_number,
    )
    decision_body, paragraph = decision["decision_body"], decision["paragraph"]
    registry_number = decision["registry_number"]
    analysis.decision_body = decision_body
    analysis.decision_date = decision_date
    analysis.paragraph = paragraph
    analysis.registry_number = registry_number
    analysis.decision_recorded_by = actor
    analysis.decision_recorded_at = timezone.now()
    analysis.status = target
    analysis.save()
    record_event(
        analysis,
        "analysis.decided",
        actor,
        body=decision_body,
        date=decision_date.isoformat(),
        paragraph=f"§ {paragraph}",
        registry_number=registry_number,
    )
    return analysis


def may_add_measures(user, analysis):
    return analysis.status == AnalysisStatus.DECIDED and can(user, MANAGE, analysis)


@transaction.atomic
def add_measure(analysis, *, actor, unit, title, owner, due_date, description="", form_token=None):
    """A measure the board decided, as an action whose source is the analysis."""
    _check_manage(actor, analysis.scope)
    if analysis.status != AnalysisStatus.DECIDED:
        raise ValidationError(
            _("Measures are recorded once the board has decided the analysis."), code="state"
        )
    action = create_action(
        actor=actor,
        unit=unit,
        title=title,
        owner=owner,
        due_date=due_date,
        description=description,
        source=analysis,
        form_token=form_token,
    )
    if action.just_created:
        record_event(analysis, "analysis.measure_added", actor, title=action.title)
    return action
