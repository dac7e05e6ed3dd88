"""Compliance over time for a part of the tree: per year (chart and table), per unit below
(each the roll-up of its subtree, weighted by answers) and, for one checklist, per question.
Reads the kept counts of the executions (inspections/compliance.py): a fixed number of
queries whatever the number of answers."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import requires
from core.widgets import QuickNodeChoiceField
from inspections import compliance
from inspections.chart import compliance_svg
from inspections.models import ChecklistTemplate, Execution, Question
from inspections.models.checklist import VIEW
from organisation.models import OrgNode

YEARS = 5


class ResultsForm(forms.Form):
    node = QuickNodeChoiceField(label=gettext_lazy("Part of the organisation"), queryset=None)
    template = forms.ModelChoiceField(
        label=gettext_lazy("Checklist"),
        required=False,
        queryset=None,
        empty_label=gettext_lazy("(all checklists)"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = OrgNode.objects.visible_to(user, VIEW).order_by("path")
        self.fields["template"].queryset = (
            ChecklistTemplate.objects.visible_to(user)
            .filter(parent__isnull=True, is_active=True)
            .order_by("title", "pk")
        )


def _row(label, counts, **extra):
    return {
        "label": label,
        "counts": counts,
        "compliance": compliance.percent(counts.compliance),
        "partly": compliance.percent(counts.partly_share),
        **extra,
    }


@requires(VIEW)
def results(request):
    user = request.user
    form = ResultsForm(request.GET or None, user=user)
    node = template = None
    if form.is_bound and form.is_valid():
        node, template = form.cleaned_data["node"], form.cleaned_data["template"]
    if node is None:
        node = form.fields["node"].queryset.order_by("depth", "path").first()
        form = ResultsForm(initial={"node": node}, user=user)
    context = {"form": form, "node": node, "template": template}
    if node is None:
        return render(request, "inspections/results.html", context)
    this_year = timezone.localdate().year
    years = list(range(this_year - YEARS + 1, this_year + 1))
    executions = Execution.objects.visible_to(user).filter(
        unit__path__startswith=node.path, performed_on__year__gte=years[0]
    )
    if template is not None:
        executions = executions.filter(template__in=_family(template))
    per_year = compliance.by_year(executions)
    year_rows = [_row(str(y), per_year.get(y, compliance.Counts())) for y in years]
    summary = _("Compliance per year, %(node)s: ") % {"node": node.name} + "; ".join(
        f"{r['label']} {'–' if r['compliance'] is None else str(r['compliance']) + ' %'}"
        for r in year_rows
    )
    children = list(node.children.filter(is_active=True).order_by("name"))
    by_unit = compliance.by_unit(executions.filter(performed_on__year=this_year), children)
    context.update(
        year_rows=year_rows,
        chart=compliance_svg(
            "compliance-chart", [(r["label"], r["compliance"]) for r in year_rows], summary
        ),
        total=_row(
            _("All years"),
            sum((per_year.get(y, compliance.Counts()) for y in years), compliance.Counts()),
        ),
        unit_rows=[_row(child.name, by_unit[child.pk]) for child in children],
        this_year=this_year,
        years=years,
    )
    if template is not None:
        per_question = compliance.by_question(executions)
        questions = Question.objects.filter(template=template).order_by("order", "pk")
        context["question_rows"] = [
            {
                "question": q,
                "cells": [
                    _row(str(y), per_question.get((q.pk, y), compliance.Counts())) for y in years
                ],
            }
            for q in questions
        ]
    return render(request, "inspections/results.html", context)


def _family(template):
    """The template and its local adaptations (their answers count with it)."""
    return ChecklistTemplate.objects.filter(pk=template.pk) | ChecklistTemplate.objects.filter(
        parent=template
    )
