"""Figures of self-inspection for the yearly quality report (kvalitetsberättelse).

Each function takes an org node and a year and covers the node's whole subtree, or only the
nodes of `units` when given (a queryset: the patient safety report's health-care part); it reads no
person's scope: the report that calls it decides who may read which node. Each reads a fixed
number of queries whatever the amount of data (compliance from the executions' kept counts).

- `planned_vs_done(node, year)`: the occasions due in the year, how many are done (in the year
  or later), how many are overdue and how many are still ahead;
- `compliance(node, year)`: the answers of the executions carried out in the year and the share
  of "ja" (inspections/compliance.py: "ej aktuellt" left out, weighted by answers);
- `compliance_by_checklist(node, year)`: the same per checklist (a local adaptation counts with
  the checklist it was adapted from);
- `findings(node, year)`: the findings of the year's executions, by what became of them, and
  the state of the actions made of them;
- `year_summary(node, year)`: all of the above in one dictionary.
"""

from django.db.models import Count, Q
from django.utils import timezone

from actions.models import Status
from inspections import compliance as arithmetic
from inspections.models import Execution, Finding, Occasion
from inspections.models.execution import ExecutionState, FindingState


def _executions(node, year, units=None):
    executions = Execution.objects.filter(
        unit__path__startswith=node.path,
        state=ExecutionState.COMPLETED,
        performed_on__year=year,
    )
    return executions if units is None else executions.filter(unit__in=units)


def planned_vs_done(node, year, today=None, units=None):
    """{"planned", "done", "overdue", "ahead", "done_share"} for the occasions due in `year`."""
    today = today or timezone.localdate()
    occasions = Occasion.objects.filter(
        item__plan__unit__path__startswith=node.path, due_date__year=year
    )
    if units is not None:
        occasions = occasions.filter(item__plan__unit__in=units)
    row = occasions.aggregate(
        planned=Count("pk"),
        done=Count("pk", filter=Q(done_on__isnull=False)),
        overdue=Count("pk", filter=Q(done_on__isnull=True, due_date__lt=today)),
    )
    row["ahead"] = row["planned"] - row["done"] - row["overdue"]
    row["done_share"] = row["done"] / row["planned"] if row["planned"] else None
    return row


def compliance(node, year, units=None):
    """The Counts (yes, partly, no, na, compliance, partly_share) of the year's executions."""
    return arithmetic.total(_executions(node, year, units))


def compliance_by_checklist(node, year, units=None):
    """[(checklist title, executions, Counts)], by title; adaptations count with their parent."""
    rows = (
        _executions(node, year, units)
        .values("template__parent_id", "template_id", "template__title", "template__parent__title")
        .order_by()
        .annotate(executions=Count("pk"), **arithmetic.SUMS)
    )
    merged = {}
    for row in rows:
        key = row["template__parent_id"] or row["template_id"]
        title = row["template__parent__title"] or row["template__title"]
        counts = arithmetic.Counts(row["yes"], row["partly"], row["no"], row["na"])
        if key in merged:
            _title, n, before = merged[key]
            merged[key] = (title, n + row["executions"], before + counts)
        else:
            merged[key] = (title, row["executions"], counts)
    return sorted(merged.values(), key=lambda r: r[0])


def findings(node, year, units=None):
    """{"findings", "open", "with_action", "closed", "actions_done", "actions_effect_checked",
    "actions_open"} for the findings of the executions carried out in `year`."""
    executions = _executions(node, year, units).values("pk")
    row = Finding.objects.filter(execution__in=executions).aggregate(
        findings=Count("pk"),
        open=Count("pk", filter=Q(state=FindingState.OPEN)),
        with_action=Count("pk", filter=Q(state=FindingState.ACTION)),
        closed=Count("pk", filter=Q(state=FindingState.CLOSED)),
        actions_effect_checked=Count("pk", filter=Q(action__status=Status.EFFECT_CHECKED)),
        actions_done=Count("pk", filter=Q(action__status=Status.DONE)),
        actions_open=Count("pk", filter=Q(action__status__in=(Status.PLANNED, Status.IN_PROGRESS))),
    )
    return row


def year_summary(node, year, today=None):
    counts = compliance(node, year)
    return {
        "node": node.name,
        "year": year,
        "occasions": planned_vs_done(node, year, today),
        "executions": _executions(node, year).count(),
        "compliance": counts.compliance,
        "partly_share": counts.partly_share,
        "answers": {"yes": counts.yes, "partly": counts.partly, "no": counts.no, "na": counts.na},
        "by_checklist": [
            {"checklist": title, "executions": n, "compliance": c.compliance}
            for title, n, c in compliance_by_checklist(node, year)
        ],
        "findings": findings(node, year),
    }
