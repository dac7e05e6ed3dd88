"""Statistics of deviations and the aggregated analyses. State changes: analysis/services.py.

Statistics show counts for the units in the person's scope for `analysis.view`, never a report,
a description or an identity. An analysis is visible with `analysis.view` over its scope node;
writing, changing, recording the decision and adding measures need `analysis.manage` there.
"""

import copy

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, require, requires
from accounts.scoping import can, holds
from actions.models import Action
from actions.services import actions_for, may_view
from analysis import drilldown, presentation, reading, services, stats, suppression, together
from analysis.forms import AnalysisForm, MeasureForm, StatisticsFilterForm
from analysis.models import MANAGE, VIEW, AggregatedAnalysis, AnalysisStatus
from core import versioning
from core.csv import writer as csv_writer
from core.forms import BoardDecisionForm, add_service_errors
from legal.rules import TrackKind
from organisation.models import OrgNode

# -- statistics ------------------------------------------------------------------------------


def _filter(request):
    """The filter form, the visible nodes and the chosen filter (None if the form is invalid)."""
    nodes_qs = OrgNode.objects.visible_to(request.user, VIEW).order_by("path")
    nodes = reading.visible_nodes(request.user)
    form = StatisticsFilterForm(request.GET or None, nodes=nodes_qs, node_list=nodes)
    if not form.is_bound:
        start, end = stats.default_period()
        return form, nodes, {"period_from": start, "period_to": end, "scope": None, "track": ""}
    if not form.is_valid():
        return form, nodes, None
    return form, nodes, form.cleaned_data


def _query(chosen):
    """The filter as a query string, for the CSV link and 'write an analysis'."""
    params = {
        "period_from": chosen["period_from"].isoformat(),
        "period_to": chosen["period_to"].isoformat(),
    }
    if chosen.get("scope") is not None:
        params["scope"] = chosen["scope"].pk
    if chosen.get("track"):
        params["track"] = chosen["track"]
    return urlencode(params)


@requires(VIEW)
def statistics(request):
    form, nodes, chosen = _filter(request)
    context = {"form": form, "stats": None}
    if chosen is not None:
        figures = reading.read(request.user, nodes, chosen)
        # A unit's own statistics: the same filter, that unit as the part of the tree.
        unscoped = _query({**chosen, "scope": None})
        links = drilldown.Links(request.user, figures.nodes, scope=figures.scope, kind=figures.kind)
        page = presentation.Page(
            figures.current,
            previous=figures.previous,
            trend=figures.trend,
            links=links,
            units=presentation.units_below(figures.current.units, figures.nodes),
            unit_link=lambda node: f"{request.path}?{unscoped}&scope={int(node.pk)}",
        )
        context.update(
            stats=figures.current,
            previous=figures.previous,
            page=page,
            charts=page.charts,
            links=links,
            query=_query(chosen),
            scope=figures.scope,
            track_label=TrackKind(figures.kind).label if figures.kind else "",
            may_write=holds(request.user, MANAGE),
        )
    return render(request, "analysis/statistics.html", context)


def _pct(fraction):
    if suppression.is_hidden(fraction):
        return str(fraction)
    value = stats.percent(fraction, 1)
    return "" if value is None else formats.number_format(value, 1)


@requires(VIEW)
def statistics_csv(request):
    """The figures of the statistics page as CSV (UTF-8 with BOM, semicolons): counts only."""
    form, nodes, chosen = _filter(request)
    if chosen is None:
        return redirect(f"{reverse('analysis:statistics')}?{request.GET.urlencode()}")
    result = reading.read(request.user, nodes, chosen, compare=False).current
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = f"{result.start:%Y%m%d}-{result.end:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="statistics-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow([_("Section"), _("Figure"), _("Count"), _("Of"), _("Share (%)")])
    totals = _("Totals")
    writer.writerow(
        [totals, _("Period"), "", "", f"{result.start.isoformat()} – {result.end.isoformat()}"]
    )
    writer.writerow([totals, _("Reports"), result.reports, "", ""])
    writer.writerow([totals, _("Awaiting classification"), result.unclassified, "", ""])
    writer.writerow([totals, _("Classified reports"), result.classified, "", ""])
    writer.writerow(
        [
            totals,
            _("Not a deviation"),
            result.not_deviation,
            result.classified,
            _pct(result.not_deviation_share),
        ]
    )
    writer.writerow([totals, _("Deviations"), result.deviations, "", ""])
    section = _("Deviations by track")
    for k in result.kinds:
        writer.writerow([section, k.label, k.count, result.deviations, _pct(k.share)])
    section = _("Notified to the authority")
    # Read outside the f-strings: xgettext does not look inside them.
    judged, not_notified = _("judged serious"), _("documented as not notified")
    for k in result.notifiable:
        writer.writerow([section, f"{k.label}: {judged}", k.serious_yes, k.count, ""])
        writer.writerow(
            [section, f"{k.label}: {k.authority}", k.notified, k.count, _pct(k.notified_share)]
        )
        writer.writerow([section, f"{k.label}: {not_notified}", k.not_notified, k.count, ""])
    section = _("Outcome")
    for k in result.kinds:
        for label, value in (
            (_("serious"), k.serious_yes),
            (_("not serious"), k.serious_no),
            (_("seriousness not judged"), k.not_judged),
            (_("open"), k.open),
            (_("under investigation"), k.investigating),
            (_("decided"), k.decided),
            (_("closed"), k.closed),
            (_("closed with an action"), k.closed_with_action),
            (_("closed with a reason why no action is needed"), k.closed_no_action_reason),
        ):
            writer.writerow([section, f"{k.label}: {label}", value, k.count, ""])
    section = _("Reports per month")
    for m in result.months:
        writer.writerow([section, m.month.strftime("%Y-%m"), m.reports, "", ""])
    section = _("Reports per unit, including the units below")
    for u in result.units:
        writer.writerow([section, u.name, u.subtree, "", ""])
    section = _("Causes at system level")
    for c in result.causes:
        writer.writerow([section, c.name, c.count, result.causes_base, _pct(c.share)])
    section = _("Reports by kind of event")
    for c in result.categories:
        writer.writerow([section, c.name, c.count, result.reports, _pct(c.share)])
    return response


# -- aggregated analyses ---------------------------------------------------------------------


def _visible_analysis(request, pk):
    return get_visible_or_404(
        AggregatedAnalysis.objects.select_related("scope", "created_by", "decision_recorded_by"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )


@requires(VIEW)
def analyses(request):
    measures = (
        Action.objects.filter(
            source_type=ContentType.objects.get_for_model(AggregatedAnalysis),
            source_id=OuterRef("pk"),
        )
        .order_by()
        .values("source_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        AggregatedAnalysis.objects.visible_to(request.user, VIEW)
        .select_related("scope")
        .annotate(measure_count=Coalesce(Subquery(measures), 0))
    )
    # ?status=draft: those waiting for the board's decision (the start page links here).
    status = request.GET.get("status", "")
    if status in AnalysisStatus.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "analysis/analyses.html",
        {
            "analyses": rows,
            "may_create": holds(request.user, MANAGE),
            "status": AnalysisStatus(status) if status in AnalysisStatus.values else None,
        },
    )


@requires(MANAGE)
def analysis_new(request):
    form = AnalysisForm(request.POST or None, actor=request.user)
    if request.method != "POST":
        start, end = stats.default_period()
        form.initial.update({"period_from": start, "period_to": end})
        for name in ("period_from", "period_to", "scope"):
            if request.GET.get(name):
                form.initial[name] = request.GET[name]
    if request.method == "POST" and form.is_valid():
        try:
            analysis = services.create_analysis(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The analysis was saved with the figures of today."))
            return redirect(analysis)
    return render(request, "analysis/analysis_form.html", {"form": form, "analysis": None})


@requires(MANAGE)
def analysis_edit(request, pk):
    analysis = _visible_analysis(request, pk)
    require(request.user, MANAGE, analysis)
    if analysis.status != AnalysisStatus.DRAFT:
        messages.error(request, _("A decided analysis can no longer be changed."))
        return redirect(analysis)
    form = versioning.stamp(
        AnalysisForm(request.POST or None, instance=copy.copy(analysis), actor=request.user)
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        stored = AggregatedAnalysis.objects.select_for_update()
        try:
            with versioning.guard(
                form,
                lambda: AnalysisForm(instance=stored.get(pk=analysis.pk), actor=request.user),
            ):
                services.update_analysis(analysis, actor=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The analysis was saved with the figures of today."))
            return redirect(analysis)
    return render(
        request,
        "analysis/analysis_form.html",
        {"form": form, "analysis": analysis},
        status=versioning.status(form),
    )


def _detail(request, analysis, measure_form=None):
    user = request.user
    figures = stats.Statistics.from_snapshot(analysis.figures) if analysis.figures else None
    if figures is not None:
        scope_nodes = OrgNode.objects.filter(path__startswith=analysis.scope.path).only(
            *reading.NODE_FIELDS
        )
        suppression.protect(figures, suppression.hidden_kinds(user, list(scope_nodes)))
    page = presentation.Page(figures, unit_tree=True) if figures is not None else None
    measures = list(actions_for(analysis))
    for action in measures:
        action.linked = may_view(user, action)
    may_manage = can(user, MANAGE, analysis)
    may_measure = services.may_add_measures(user, analysis)
    live = urlencode(
        {
            "period_from": analysis.period_from.isoformat(),
            "period_to": analysis.period_to.isoformat(),
            "scope": analysis.scope_id,
        }
    )
    return render(
        request,
        "analysis/analysis_detail.html",
        {
            "analysis": analysis,
            "stats": figures,
            "page": page,
            "charts": page.charts if page else None,
            "measures": measures,
            "may_edit": may_manage and analysis.status == AnalysisStatus.DRAFT,
            "may_decide": may_manage and analysis.status == AnalysisStatus.DRAFT,
            "measure_form": (measure_form or MeasureForm(actor=user)) if may_measure else None,
            "live_query": live,
            "together": together.shown((analysis.figures or {}).get("feedback")),
        },
    )


@requires(VIEW)
def analysis_detail(request, pk):
    return _detail(request, _visible_analysis(request, pk))


@requires(MANAGE)
def analysis_decide(request, pk):
    analysis = _visible_analysis(request, pk)
    require(request.user, MANAGE, analysis)
    if analysis.status != AnalysisStatus.DRAFT:
        messages.error(request, _("The analysis has already been decided."))
        return redirect(analysis)
    form = BoardDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_analysis(analysis, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The board's decision was recorded."))
            return redirect(analysis)
    return render(request, "analysis/analysis_decide.html", {"form": form, "analysis": analysis})


@requires(MANAGE)
@require_POST
def analysis_measure(request, pk):
    analysis = _visible_analysis(request, pk)
    require(request.user, MANAGE, analysis)
    if not services.may_add_measures(request.user, analysis):
        raise PermissionDenied
    form = MeasureForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            action = services.add_measure(analysis, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if action.just_created:
                messages.success(request, _("The measure was added to the action list."))
            return redirect(analysis)
    return _detail(request, analysis, measure_form=form)
