"""The responsibility matrix (ansvarsfördelning, SOSFS 2011:9 3 kap).

Per org node: every quality role, the people who hold it for that node (at the node itself or
at an ancestor whose assignment covers the units below) and the role's duties, which are text
written once per organisation (the root node) and edited by those holding responsibility.edit
at the root.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import get_visible_or_404, requires
from accounts.models import Role, RoleAssignment
from accounts.scoping import can, grants
from core import versioning
from organisation.forms_responsibility import DutiesForm
from organisation.models import OrgNode, RoleDuty
from organisation.pdf import render_pdf
from organisation.services import save_duties

VIEW = "responsibility.view"
EDIT = "responsibility.edit"


@dataclass
class Holder:
    user: object
    node: OrgNode
    inherited: bool


@dataclass
class RoleRow:
    role: Role
    duties: list
    holders: list = field(default_factory=list)

    @property
    def appointed(self):
        return bool(self.holders)

    @property
    def sources(self):
        seen = []
        for duty in self.duties:
            if duty.source and duty.source not in seen:
                seen.append(duty.source)
        return seen


@dataclass
class PathStep:
    node: OrgNode
    visible: bool


def may_edit_duties(user, root):
    """Duties are organisation-wide text, written by whoever leads the whole organisation.

    That is the key at the root, or over the whole administration directly below it: the
    förvaltning writes the management system that the board decides.
    """
    return can(user, EDIT, root) or any(
        g.subtree and g.path.startswith(root.path) and g.path.count("/") == 2
        for g in grants(user, EDIT)
    )


def build_matrix(node, user):
    """Everything the page and the PDF show, in a fixed number of queries."""
    ids = node.ancestor_ids()
    by_id = {n.pk: n for n in OrgNode.objects.filter(pk__in=ids)}
    by_id[node.pk] = node
    path = [by_id[i] for i in ids if i in by_id]
    root = path[0]

    roles = Role.objects.prefetch_related(
        Prefetch(
            "duties",
            queryset=RoleDuty.objects.filter(organisation_id=root.pk).order_by("order", "pk"),
            to_attr="org_duties",
        )
    )
    assignments = (
        RoleAssignment.objects.active()
        .filter(node_id__in=ids, node__is_active=True, user__is_active=True)
        .filter(Q(node_id=node.pk) | Q(include_subtree=True))
        .select_related("user")
    )
    holders = {}
    # Nearest node first, so a person assigned at several levels is listed where it matters.
    ordered = sorted(
        assignments,
        key=lambda a: (
            -by_id[a.node_id].depth,
            a.user.last_name.lower(),
            a.user.first_name.lower(),
            a.user.username,
        ),
    )
    for a in ordered:
        row = holders.setdefault(a.role_id, {})
        if a.user_id not in row:
            row[a.user_id] = Holder(a.user, by_id[a.node_id], inherited=a.node_id != node.pk)

    rows, other_roles = [], []
    for role in roles:
        role_holders = list(holders.get(role.pk, {}).values())
        if role.org_duties or role_holders:
            rows.append(RoleRow(role, role.org_duties, role_holders))
        else:
            other_roles.append(role)

    return {
        "node": node,
        "root": root,
        "path": [PathStep(n, can(user, VIEW, n)) for n in path],
        "parent": path[-2] if len(path) > 1 and can(user, VIEW, path[-2]) else None,
        "rows": rows,
        "other_roles": other_roles,
        "can_edit": may_edit_duties(user, root),
        "today": timezone.localdate(),
    }


@requires(VIEW)
def matrix_start(request):
    """The matrix of the person's own unit; a chooser when no unit stands out."""
    own = (
        RoleAssignment.objects.active()
        .filter(
            user=request.user,
            node__is_active=True,
            role__permissions__key=VIEW,
        )
        .order_by("node__depth", "node__path")
        .values_list("node_id", flat=True)
        .first()
    )
    if own is not None:
        return redirect("organisation:responsibility_node", pk=own)
    nodes = OrgNode.objects.visible_to(request.user, VIEW).filter(is_active=True)
    return render(request, "organisation/responsibility_start.html", {"nodes": nodes})


@requires(VIEW)
def matrix(request, pk):
    node = get_visible_or_404(OrgNode.objects.all(), request.user, VIEW, request=request, pk=pk)
    context = build_matrix(node, request.user)
    context["children"] = OrgNode.objects.visible_to(request.user, VIEW).filter(
        parent=node, is_active=True
    )
    return render(request, "organisation/responsibility.html", context)


@requires(VIEW)
def matrix_pdf(request, pk):
    node = get_visible_or_404(OrgNode.objects.all(), request.user, VIEW, request=request, pk=pk)
    context = build_matrix(node, request.user)
    pdf = render_pdf("organisation/responsibility_pdf.html", context, request)
    filename = f"ansvarsfordelning-{slugify(node.name) or node.pk}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@requires(EDIT)
def duties_edit(request, pk, role_pk):
    """Edit one role's duties for the whole organisation the node belongs to."""
    node = get_visible_or_404(OrgNode.objects.all(), request.user, VIEW, request=request, pk=pk)
    role = get_object_or_404(Role, pk=role_pk)
    root = node.root()
    if not may_edit_duties(request.user, root):
        raise PermissionDenied
    form = versioning.stamp(_duties_form(root, role, request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            # The organisation's row is the lock: the duties are replaced as a whole.
            with versioning.guard(
                form,
                lambda: _duties_form(OrgNode.objects.select_for_update().get(pk=root.pk), role),
            ):
                save_duties(root, role, form.cleaned_data["duties"], actor=request.user)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(
                request, _("The duties of %(role)s were saved.") % {"role": role.label}
            )
            url = reverse("organisation:responsibility_node", kwargs={"pk": node.pk})
            return redirect(f"{url}#role-{role.code}")
    return render(
        request,
        "organisation/responsibility_duties_form.html",
        {"form": form, "node": node, "root": root, "role": role},
        status=versioning.status(form),
    )


def _duties_form(root, role, data=None):
    current = (
        RoleDuty.objects.filter(organisation=root, role=role)
        .order_by("order", "pk")
        .values_list("text", flat=True)
    )
    return DutiesForm(data, initial={"duties": "\n".join(current)})
