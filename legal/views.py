from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import get_visible_or_404, login_only, require, requires
from accounts.models import RoleAssignment
from accounts.scoping import can
from core import versioning
from legal.forms import (
    ApplicabilityForm,
    CoverageFilterForm,
    RegisterFilterForm,
    RegulationForm,
    SectionFormSet,
    section_rows,
)
from legal.models import Applicability, Regulation, RegulationKind
from legal.services import (
    REGULATION_FIELDS,
    coverage_for,
    create_regulation,
    laws_for_node,
    laws_for_nodes,
    state_applicability,
    update_regulation,
)
from organisation.models import OrgNode

KIND_ORDER = Case(
    *[When(kind=value, then=Value(i)) for i, (value, _label) in enumerate(RegulationKind.choices)],
    default=Value(99),
    output_field=IntegerField(),
)


# --- The register ------------------------------------------------------------------------


@requires("legal.view")
def register(request):
    form = RegisterFilterForm(request.GET)
    regulations = (
        form.filter(Regulation.objects.visible_to(request.user, "legal.view"))
        .select_related("replaced_by")
        .annotate(
            section_count=Count("sections"),
            unverified_count=Count("sections", filter=Q(sections__verified=False)),
        )
        .order_by(KIND_ORDER, "name", "number")
    )
    return render(
        request,
        "legal/register.html",
        {
            "form": form,
            "regulations": regulations,
            "can_manage": can(request.user, "legal.manage_register"),
            "can_state": can(request.user, "legal.state_applicability"),
        },
    )


@requires("legal.view")
def regulation_detail(request, pk):
    regulation = get_visible_or_404(
        Regulation.objects.select_related("replaced_by"),
        request.user,
        "legal.view",
        request=request,
        pk=pk,
    )
    statements = (
        Applicability.objects.visible_to(request.user, "legal.view")
        .filter(regulation=regulation)
        .select_related("node", "stated_by")
        .order_by("node__path")
    )
    return render(
        request,
        "legal/regulation_detail.html",
        {
            "regulation": regulation,
            "sections": regulation.sections.select_related("counterpart__regulation"),
            "replaces": regulation.replaces.all(),
            "statements": statements,
            "can_manage": can(request.user, "legal.manage_register", regulation),
        },
    )


def _regulation_form(request, regulation=None):
    instance = regulation if regulation is not None else Regulation()
    title_name = str(regulation) if regulation is not None else ""
    if request.method == "POST":
        form = RegulationForm(request.POST, instance=instance)
        formset = SectionFormSet(request.POST, instance=instance, prefix="sections")
        if regulation is not None:
            versioning.stamp(form)
        if form.is_valid() and formset.is_valid():
            fields = {name: form.cleaned_data[name] for name in REGULATION_FIELDS}
            try:
                if regulation is None:
                    regulation = create_regulation(
                        actor=request.user, sections=section_rows(formset), **fields
                    )
                    messages.success(request, _("The law or regulation was added to the register."))
                else:
                    with versioning.guard(form, lambda: _stored_regulation(regulation)):
                        update_regulation(
                            regulation, actor=request.user, sections=section_rows(formset), **fields
                        )
                    messages.success(request, _("The register entry was saved."))
            except ValidationError as error:
                form.add_error(None, error.messages)
            except versioning.Conflict as conflict:
                conflict.keep(form)
            else:
                return redirect("legal:regulation_detail", pk=regulation.pk)
    else:
        form = RegulationForm(instance=instance)
        formset = SectionFormSet(instance=instance, prefix="sections")
        if regulation is not None:
            versioning.stamp(form, formset)
    return render(
        request,
        "legal/regulation_form.html",
        {
            "form": form,
            "formset": formset,
            "regulation": regulation,
            "title_name": title_name,
        },
        status=versioning.status(form),
    )


def _stored_regulation(regulation):
    """Inside the save: the entry locked, with its sections as stored now."""
    stored = Regulation.objects.select_for_update().get(pk=regulation.pk)
    return (
        RegulationForm(instance=stored),
        SectionFormSet(instance=stored, prefix="sections"),
    )


@requires("legal.manage_register")
def regulation_create(request):
    return _regulation_form(request)


@requires("legal.manage_register")
def regulation_edit(request, pk):
    regulation = get_visible_or_404(
        Regulation.objects.all(), request.user, "legal.view", request=request, pk=pk
    )
    require(request.user, "legal.manage_register", regulation)
    return _regulation_form(request, regulation)


# --- Which laws apply to a unit -------------------------------------------------------------


def _visible_node(request, pk):
    return get_visible_or_404(
        OrgNode.objects.select_related("parent"), request.user, "legal.view", request=request, pk=pk
    )


@requires("legal.view")
def node_laws(request, pk):
    node = _visible_node(request, pk)
    return render(
        request,
        "legal/node_laws.html",
        {
            "node": node,
            "ancestors": node.ancestors(),
            "laws": laws_for_node(node),
            "can_edit": can(request.user, "legal.state_applicability", node),
        },
    )


@requires("legal.view")
def node_laws_edit(request, pk):
    node = _visible_node(request, pk)
    require(request.user, "legal.state_applicability", node)
    form = versioning.stamp(_applicability_form(node, request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            # The node's row is the lock: its statements are replaced as a whole.
            with versioning.guard(
                form,
                lambda: _applicability_form(OrgNode.objects.select_for_update().get(pk=node.pk)),
            ):
                state_applicability(node, form.selected_ids(), form.comments(), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The applicable laws were saved."))
            return redirect("legal:node_laws", pk=node.pk)
    return render(
        request,
        "legal/node_laws_form.html",
        {"node": node, "ancestors": node.ancestors(), "form": form},
        status=versioning.status(form),
    )


def _applicability_form(node, data=None):
    statements = list(Applicability.objects.filter(node=node))
    stated_ids = [s.regulation_id for s in statements]
    regulations = (
        Regulation.objects.in_force() | Regulation.objects.filter(pk__in=stated_ids)
    ).distinct()
    inherited = (
        {law.regulation.pk: law.source for law in laws_for_node(node.parent)}
        if node.parent_id
        else {}
    )
    return ApplicabilityForm(
        data, regulations=regulations, statements=statements, inherited=inherited
    )


@login_only
def my_units(request):
    assignments = (
        RoleAssignment.objects.active()
        .filter(user=request.user, node__is_active=True, role__permissions__key="legal.view")
        .select_related("node")
        .order_by("node__path")
    )
    nodes = list({a.node_id: a.node for a in assignments}.values())
    laws = laws_for_nodes(nodes)
    units = [
        {
            "node": node,
            "laws": laws[node.pk],
            "can_edit": can(request.user, "legal.state_applicability", node),
        }
        for node in nodes
    ]
    return render(request, "legal/my_units.html", {"units": units})


@requires("legal.view")
def coverage(request):
    form = CoverageFilterForm(request.GET)
    only_missing = form.is_valid() and form.cleaned_data["missing"]
    rows = coverage_for(request.user, only_missing=only_missing)
    return render(
        request,
        "legal/coverage.html",
        {
            "form": form,
            "rows": rows,
            "only_missing": only_missing,
            "missing_count": sum(1 for r in rows if r.nothing_stated),
        },
    )
