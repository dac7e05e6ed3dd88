"""Users, role assignments and the role → permission matrix. State changes: services.py."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, require, requires
from accounts.keys import PERMISSION_KEYS
from accounts.models import Role, RoleAssignment, User
from accounts.scoping import can, holds
from core import versioning
from core.forms import add_service_errors
from people import services, two_factor
from people.forms import (
    AssignmentForm,
    RolePermissionsForm,
    UserCreateForm,
    UserDetailsForm,
    UserSearchForm,
    manageable_nodes,
)

VIEW_USERS = "accounts.view_users"
MANAGE_USERS = "accounts.manage_users"
MANAGE_ROLES = "accounts.manage_roles"
PAGE_SIZE = 50


def _message(error):
    return " ".join(error.messages)


def _visible_user(request, pk):
    return get_visible_or_404(User.objects.all(), request.user, VIEW_USERS, request=request, pk=pk)


# -- users --------------------------------------------------------------------------------------


@requires(VIEW_USERS)
def users(request):
    viewer = request.user
    form = UserSearchForm(request.GET or None, viewer=viewer)
    people = User.objects.visible_to(viewer)
    if form.is_valid():
        data = form.cleaned_data
        for term in data["q"].split():
            people = people.filter(
                Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(username__icontains=term)
                | Q(email__icontains=term)
            )
        if data["role"] or data["node"]:
            # One current assignment, within the viewer's scope, with this role at this unit.
            match = RoleAssignment.objects.active().visible_to(viewer).filter(user=OuterRef("pk"))
            if data["role"]:
                match = match.filter(role=data["role"])
            if data["node"]:
                match = match.filter(node__path__startswith=data["node"].path)
            people = people.filter(Exists(match))
        if data["status"] == "active":
            people = people.filter(is_active=True)
        elif data["status"] == "inactive":
            people = people.filter(is_active=False)
    shown = (
        RoleAssignment.objects.active()
        .visible_to(viewer)
        .select_related("role", "node")
        .order_by("role__order", "node__path")
    )
    people = people.prefetch_related(
        Prefetch("assignments", queryset=shown, to_attr="shown_assignments")
    ).order_by("last_name", "first_name", "username")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/users.html",
        {
            "form": form,
            "page": page,
            "filtered": form.is_bound and form.has_changed(),
            "may_create": holds(viewer, MANAGE_USERS),
        },
    )


@requires(VIEW_USERS)
def user_detail(request, pk):
    viewer = request.user
    person = _visible_user(request, pk)
    assignments = person.assignments.select_related("role", "node").order_by(
        "role__order", "node__path", "pk"
    )
    if person.pk != viewer.pk:
        assignments = assignments.visible_to(viewer)
    today = timezone.localdate()
    current, ended = [], []
    for a in assignments:
        a.ended = services.is_ended(a, today)
        a.upcoming = not a.ended and a.valid_from is not None and a.valid_from > today
        a.may_end = not a.ended and can(viewer, MANAGE_USERS, a.node)
        (ended if a.ended else current).append(a)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "current": current,
            "ended": ended,
            "may_manage": services.may_manage_user(viewer, person),
            "may_assign": holds(viewer, MANAGE_USERS) and manageable_nodes(viewer).exists(),
            "is_self": person.pk == viewer.pk,
            "has_two_factor": two_factor.user_has_device(person, confirmed=None),
        },
    )


@requires(MANAGE_USERS)
def user_create(request):
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.create_user(
                actor=request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                title=data["title"],
                phone=data["phone"],
                role=data["role"],
                node=data["node"],
                include_subtree=data["include_subtree"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The account %(name)s was created and an invitation sent to %(email)s.")
                % {"name": person, "email": person.email},
            )
            return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/user_form.html", {"form": form, "person": None})


@requires(MANAGE_USERS)
def user_edit(request, pk):
    person = _visible_user(request, pk)
    if not services.may_manage_user(request.user, person):
        raise PermissionDenied
    # The form works on its own copy: the service compares against the stored values.
    form = versioning.stamp(
        UserDetailsForm(request.POST or None, instance=User.objects.get(pk=person.pk))
    )
    if request.method == "POST" and form.is_valid():
        stored = User.objects.select_for_update()
        try:
            with versioning.guard(form, lambda: UserDetailsForm(instance=stored.get(pk=person.pk))):
                services.update_user(
                    person,
                    actor=request.user,
                    **{name: form.cleaned_data[name] for name in services.USER_FIELDS},
                )
        except ValidationError as error:
            add_service_errors(form, error)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The details were saved."))
            return redirect("accounts:user_detail", pk=person.pk)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "person": person},
        status=versioning.status(form),
    )


def _account_action(request, pk, action, done):
    person = _visible_user(request, pk)
    try:
        action(person, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, done)
    return redirect("accounts:user_detail", pk=person.pk)


@requires(MANAGE_USERS)
@require_POST
def user_deactivate(request, pk):
    return _account_action(request, pk, services.deactivate_user, _("The account was deactivated."))


@requires(MANAGE_USERS)
@require_POST
def user_reactivate(request, pk):
    return _account_action(request, pk, services.reactivate_user, _("The account was reactivated."))


@requires(MANAGE_USERS)
@require_POST
def user_invite(request, pk):
    def invite(person, *, actor):
        services.invite_user(person, actor=actor)

    return _account_action(request, pk, invite, _("A new invitation was sent."))


@requires(MANAGE_USERS)
@require_POST
def user_two_factor_reset(request, pk):
    def reset(person, *, actor):
        if not two_factor.reset(person, actor=actor):
            raise ValidationError(_("The person has no two-factor authentication to reset."))

    return _account_action(
        request,
        pk,
        reset,
        _("Two-factor authentication was reset. The person sets it up again at the next login."),
    )


# -- role assignments ---------------------------------------------------------------------------


@requires(MANAGE_USERS)
def assignment_create(request, pk):
    person = _visible_user(request, pk)
    if not manageable_nodes(request.user).exists():
        raise PermissionDenied
    form = AssignmentForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assign_role(
                actor=request.user,
                user=person,
                role=data["role"],
                node=data["node"],
                include_subtree=data["include_subtree"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s now has the role %(role)s at %(node)s.")
                % {"person": person, "role": data["role"].label, "node": data["node"].name},
            )
            return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/assignment_form.html", {"form": form, "person": person})


@requires(MANAGE_USERS)
@require_POST
def assignment_end(request, pk):
    assignment = get_visible_or_404(
        RoleAssignment.objects.select_related("user", "role", "node"),
        request.user,
        VIEW_USERS,
        request=request,
        pk=pk,
    )
    require(request.user, MANAGE_USERS, assignment)
    try:
        services.end_assignment(assignment, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request,
            _("The role %(role)s at %(node)s has ended.")
            % {"role": assignment.role.label, "node": assignment.node.name},
        )
    return redirect("accounts:user_detail", pk=assignment.user_id)


# -- role permissions ---------------------------------------------------------------------------


@requires(MANAGE_ROLES)
def roles(request):
    role_list = Role.objects.prefetch_related("permissions").order_by("order", "name")
    form = RolePermissionsForm(request.POST or None, roles=role_list)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.save_permission_matrix(actor=request.user, wanted=form.wanted())
        except ValidationError as error:
            form.add_error(NON_FIELD_ERRORS, error)
        else:
            if changed:
                messages.success(
                    request,
                    _("Permissions saved for: %(roles)s.")
                    % {"roles": ", ".join(r.label for r in changed)},
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("accounts:roles")
    return render(
        request,
        "accounts/roles.html",
        {"form": form, "rows": form.rows(), "keys": PERMISSION_KEYS},
    )
