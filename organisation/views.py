from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, require, requires
from accounts.scoping import can, holds_at_root
from core import versioning
from organisation import services as org
from organisation.forms import NodeForm, ProviderForm, ServicesForm
from organisation.models import ALLOWED_CHILD_KINDS, OrgNode, Provider, Service
from organisation.moving import refused_page


def _node(request, pk, key="organisation.view"):
    return get_visible_or_404(OrgNode.objects.all(), request.user, key, request=request, pk=pk)


@requires("organisation.view")
def tree(request):
    nodes = list(
        OrgNode.objects.visible_to(request.user)
        .select_related("provider")
        .prefetch_related("services")
        .order_by("path")
    )
    query = request.GET.get("q", "").strip()
    if query:
        nodes = [n for n in nodes if query.casefold() in n.name.casefold()]
    # Nest by path so the template can draw the tree without further queries.
    by_id = {n.pk: n for n in nodes}
    roots = []
    for node in nodes:
        node.visible_children = []
        parent = by_id.get(node.parent_id)
        (parent.visible_children if parent else roots).append(node)
    return render(
        request,
        "organisation/tree.html",
        {
            "roots": roots,
            "query": query,
            "count": len(nodes),
            "can_create_root": holds_at_root(request.user, "organisation.manage"),
        },
    )


@requires("organisation.view")
def node_detail(request, pk):
    node = _node(request, pk)
    children = OrgNode.objects.visible_to(request.user).filter(parent=node).order_by("name")
    return render(
        request,
        "organisation/node_detail.html",
        {
            "node": node,
            "ancestors": node.ancestors(),
            "children": children,
            "services": node.services.all(),
            "provider": node.effective_provider(),
            "own_provider": Provider.objects.filter(node=node).first(),
            "can_manage": can(request.user, "organisation.manage", node),
            "can_print_report_link": can(request.user, "deviations.triage", node),
            "can_add_child": can(request.user, "organisation.manage", node)
            and bool(ALLOWED_CHILD_KINDS[node.kind]),
        },
    )


@requires("organisation.manage")
def node_create(request):
    parent = None
    if request.GET.get("parent") or request.POST.get("parent"):
        parent = _node(request, request.GET.get("parent") or request.POST.get("parent"))
        require(request.user, "organisation.manage", parent)
    elif not holds_at_root(request.user, "organisation.manage"):
        # Only someone managing a whole tree may start a new one.
        raise PermissionDenied
    form = NodeForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            node = org.create_node(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": node.name})
            return redirect("organisation:node_detail", pk=node.pk)
    return render(request, "organisation/node_form.html", {"form": form, "parent": parent})


@requires("organisation.manage")
def node_edit(request, pk):
    node = _node(request, pk)
    require(request.user, "organisation.manage", node)
    form = versioning.stamp(
        NodeForm(request.POST or None, instance=OrgNode.objects.get(pk=node.pk))
    )
    if request.method == "POST" and form.is_valid():
        fields = versioning.values(form)
        try:
            with versioning.guard(form, lambda: NodeForm(instance=_locked(node))):
                org.update_node(node, actor=request.user, **fields)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("organisation:node_detail", pk=node.pk)
    return render(
        request,
        "organisation/node_form.html",
        {"form": form, "node": node, "parent": node.parent},
        status=versioning.status(form),
    )


def _locked(node):
    return OrgNode.objects.select_for_update().get(pk=node.pk)


def _services_form(node, data=None):
    return ServicesForm(data, initial={"services": node.services.all()})


@requires("organisation.manage")
def node_services(request, pk):
    node = _node(request, pk)
    require(request.user, "organisation.manage", node)
    form = versioning.stamp(_services_form(node, request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            with versioning.guard(form, lambda: _services_form(_locked(node))):
                org.set_services(node, form.cleaned_data["services"], actor=request.user)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The services were saved."))
            return redirect("organisation:node_detail", pk=node.pk)
    return render(
        request,
        "organisation/node_services.html",
        {"form": form, "node": node},
        status=versioning.status(form),
    )


@requires("organisation.manage")
def node_provider(request, pk):
    node = _node(request, pk)
    require(request.user, "organisation.manage", node)
    instance = Provider.objects.filter(node=node).first()
    form = versioning.stamp(ProviderForm(request.POST or None, instance=instance))
    if request.method == "POST" and form.is_valid():
        fields = versioning.values(form)

        def stored():
            _locked(node)  # the node's lock covers its one provider row
            return ProviderForm(instance=Provider.objects.filter(node=node).first())

        try:
            with versioning.guard(form, stored):
                org.set_provider(node, actor=request.user, **fields)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The provider was saved."))
            return redirect("organisation:node_detail", pk=node.pk)
    return render(
        request,
        "organisation/node_provider.html",
        {"form": form, "node": node},
        status=versioning.status(form),
    )


@require_POST
@requires("organisation.manage")
def node_close(request, pk):
    node = _node(request, pk)
    require(request.user, "organisation.manage", node)
    try:
        org.close_node(node, actor=request.user)
    except ValidationError as error:
        cases = _open_cases(error)
        if cases:
            # Where each kind of case is listed, and where they can all be moved at once.
            return refused_page(request, node, message=" ".join(error.messages))
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s was closed.") % {"name": node.name})
    return redirect("organisation:node_detail", pk=node.pk)


def _open_cases(error):
    for item in getattr(error, "error_list", []):
        if item.code == "open_cases":
            return item.params["cases"]
    return None


@require_POST
@requires("organisation.manage")
def node_reopen(request, pk):
    node = _node(request, pk)
    require(request.user, "organisation.manage", node)
    try:
        org.reopen_node(node, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s was reopened.") % {"name": node.name})
    return redirect("organisation:node_detail", pk=node.pk)


@requires("organisation.view")
def services(request):
    visible = OrgNode.objects.visible_to(request.user).filter(is_active=True)
    catalogue = Service.objects.prefetch_related(
        Prefetch("nodes", queryset=visible.order_by("name"), to_attr="visible_nodes")
    )
    return render(request, "organisation/services.html", {"catalogue": catalogue})
