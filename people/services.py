"""Every change to users, role assignments and role permissions goes through these functions.

`actor=None` means the system itself (imports, management commands); every view passes the
person who asked. A person may only give roles inside the part of the tree where they hold
`accounts.manage_users`, and only roles whose permissions they hold there themself: managing
users never becomes a way to gain rights one does not have.
"""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.keys import PERMISSION_KEYS
from accounts.models import Permission, RoleAssignment, User
from accounts.scoping import can, forget_grants, grants, holds, holds_at_root
from audit.services import record_event
from people.links import queue_account_link

MANAGE_USERS = "accounts.manage_users"
MANAGE_ROLES = "accounts.manage_roles"
USER_FIELDS = ("first_name", "last_name", "email", "title", "phone")


# -- checks -------------------------------------------------------------------------------------


def covers(actor, key, node, subtree=False):
    """Does one of the actor's grants for `key` cover `node` (and, if asked, all below it)?"""
    return any(g.covers(node) and (not subtree or g.subtree) for g in grants(actor, key))


def may_assign_at(actor, node, subtree=False):
    return actor is None or covers(actor, MANAGE_USERS, node, subtree)


def may_manage_user(actor, user):
    """May the actor change this person's account?

    Only if every role the person holds now lies within the actor's `accounts.manage_users`
    grants: a unit manager cannot rename or close the account of someone who also works
    elsewhere. A person without any role is managed by those who see them.
    """
    if actor is None:
        return True
    if not holds(actor, MANAGE_USERS):
        return False
    if not User.objects.visible_to(actor, MANAGE_USERS).filter(pk=user.pk).exists():
        return False
    current = RoleAssignment.objects.active().filter(user=user).select_related("node")
    return all(can(actor, MANAGE_USERS, a.node) for a in current)


def _require_manage_user(actor, user):
    if not may_manage_user(actor, user):
        raise PermissionDenied


def _someone_holds(key):
    """At least one active person still holds `key` somewhere (no lock-out)."""
    return (
        RoleAssignment.objects.active()
        .filter(user__is_active=True, node__is_active=True, role__permissions__key=key)
        .exists()
    )


def _check_no_lockout(held_before):
    """After a change: refuse it if it took away the last holder of accounts.manage_roles."""
    if held_before and not _someone_holds(MANAGE_ROLES):
        raise ValidationError(
            _(
                "Nobody would be left who may manage roles and permissions. "
                "Give the permission to another role or person first."
            ),
            code="lockout",
        )


def _check_unique(username=None, email=None, exclude_pk=None):
    errors = {}
    others = User.objects.exclude(pk=exclude_pk) if exclude_pk else User.objects.all()
    if username is not None and others.filter(username__iexact=username).exists():
        errors["username"] = _("A user with this username already exists.")
    if email and others.filter(email__iexact=email).exists():
        errors["email"] = _("Another account already uses this e-mail address.")
    if errors:
        raise ValidationError(errors, code="unique")


# -- users --------------------------------------------------------------------------------------


def send_invitation(user):
    """Queue an e-mail with a link where the person chooses their password.

    The link is Django's password-reset link (valid for PASSWORD_RESET_TIMEOUT), made when the
    e-mail is sent (people/links.py); a person who lets it expire uses "Forgot your
    password?" on the login page.
    """
    queue_account_link(user, "invitation")


@transaction.atomic
def create_user(
    *,
    actor,
    username,
    first_name,
    last_name,
    email,
    title="",
    phone="",
    role=None,
    node=None,
    include_subtree=False,
):
    """Create an account, optionally with its first role, and e-mail an invitation."""
    if actor is not None and not holds(actor, MANAGE_USERS):
        raise PermissionDenied
    username = (username or "").strip()
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": _("An e-mail address is needed for the invitation.")})
    _check_unique(username=username, email=email)
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        title=title.strip(),
        phone=phone.strip(),
    )
    # A random password nobody knows: the person sets their own through the invitation link,
    # and "Forgot your password?" works for them as for everyone else.
    user.set_password(secrets.token_urlsafe(32))
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same form sent twice at the same moment
        raise ValidationError(
            {"username": _("A user with this username already exists.")}, code="unique"
        ) from None
    record_event(user, "accounts.user_created", actor, username=user.username)
    if role is not None or node is not None:
        if role is None or node is None:
            raise ValidationError(_("Choose both a role and a unit, or neither."))
        assign_role(actor=actor, user=user, role=role, node=node, include_subtree=include_subtree)
    send_invitation(user)
    return user


@transaction.atomic
def invite_user(user, *, actor):
    """Send the invitation again, e.g. when the first link has expired."""
    _require_manage_user(actor, user)
    if not user.is_active:
        raise ValidationError(_("The account is deactivated."), code="inactive")
    if not user.email:
        raise ValidationError(_("The account has no e-mail address."), code="no_email")
    send_invitation(user)
    record_event(user, "accounts.invitation_sent", actor, email=user.email)


@transaction.atomic
def update_user(user, *, actor, **fields):
    """Change the person's details (name, e-mail, title, phone)."""
    _require_manage_user(actor, user)
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    changed = []
    for name, value in fields.items():
        value = (value or "").strip()
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    if not changed:
        return user
    if not user.email:
        raise ValidationError({"email": _("An e-mail address is needed.")})
    if "email" in changed:
        _check_unique(email=user.email, exclude_pk=user.pk)
    user.full_clean(exclude=["password"])
    user.save(update_fields=changed)
    record_event(user, "accounts.user_updated", actor, fields=", ".join(changed))
    return user


@transaction.atomic
def deactivate_user(user, *, actor):
    """Close the account: the person can no longer log in and holds no permission.

    Role assignments stay as they are, so the history shows what the person held and a
    reactivated account gets its roles back.
    """
    _require_manage_user(actor, user)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    if not user.is_active:
        raise ValidationError(_("The account is already deactivated."), code="inactive")
    held_before = _someone_holds(MANAGE_ROLES)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _check_no_lockout(held_before)
    forget_grants(user)
    record_event(user, "accounts.user_deactivated", actor, username=user.username)
    return user


@transaction.atomic
def reactivate_user(user, *, actor):
    _require_manage_user(actor, user)
    if user.is_active:
        raise ValidationError(_("The account is already active."), code="active")
    user.is_active = True
    user.save(update_fields=["is_active"])
    forget_grants(user)
    record_event(user, "accounts.user_reactivated", actor, username=user.username)
    return user


# -- role assignments ---------------------------------------------------------------------------


def _check_role_within_actor(actor, role, node, include_subtree):
    """The actor may only give permissions they hold themself over the same part of the tree.

    Except for whoever decides what roles may do (accounts.manage_roles) over the whole tree:
    they could grant any key anyway, and need-to-know keeps them out of the cases they
    assign others to.
    """
    if actor is None or holds_at_root(actor, "accounts.manage_roles"):
        return
    missing = [
        key
        for key in role.permissions.values_list("key", flat=True)
        if not covers(actor, key, node, include_subtree)
    ]
    if missing:
        raise ValidationError(
            {
                "role": _(
                    "You cannot give this role here: it has permissions you do not hold "
                    "yourself over this part of the organisation (%(keys)s)."
                )
                % {"keys": ", ".join(sorted(missing))}
            },
            code="escalation",
        )


@transaction.atomic
def assign_role(
    *, actor, user, role, node, include_subtree=False, valid_from=None, valid_until=None
):
    """Give `user` the `role` at `node` (and below it if `include_subtree`)."""
    if not may_assign_at(actor, node):
        raise PermissionDenied
    if include_subtree and not may_assign_at(actor, node, subtree=True):
        raise ValidationError(
            {"include_subtree": _("You may give roles at this unit only, not the units below.")},
            code="subtree",
        )
    if not node.is_active:
        raise ValidationError({"node": _("This unit is closed.")}, code="closed")
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError(
            {"valid_until": _("The end date cannot be before the start date.")}, code="order"
        )
    _check_role_within_actor(actor, role, node, include_subtree)
    today = timezone.localdate()
    duplicate = _("%(user)s already has the role %(role)s at %(node)s.") % {
        "user": user,
        "role": role.label,
        "node": node.name,
    }
    existing = RoleAssignment.objects.select_for_update().filter(user=user, role=role, node=node)
    assignment = existing.first()
    if assignment is not None:
        if assignment.valid_until is None or assignment.valid_until >= today:
            raise ValidationError(duplicate, code="duplicate")
        # The same role at the same unit again: the ended assignment is opened anew (the
        # history keeps the earlier period as events).
        assignment.include_subtree = include_subtree
        assignment.valid_from = valid_from
        assignment.valid_until = valid_until
        assignment.save(update_fields=["include_subtree", "valid_from", "valid_until"])
    else:
        try:
            with transaction.atomic():
                assignment = RoleAssignment.objects.create(
                    user=user,
                    role=role,
                    node=node,
                    include_subtree=include_subtree,
                    valid_from=valid_from,
                    valid_until=valid_until,
                )
        except IntegrityError:  # given at the same moment by someone else
            raise ValidationError(duplicate, code="duplicate") from None
    forget_grants(user)
    record_event(
        user,
        "accounts.role_assigned",
        actor,
        role=role.name,
        node=node.name,
        subtree=include_subtree,
        valid_from=valid_from or "",
        valid_until=valid_until or "",
    )
    return assignment


def is_ended(assignment, today=None):
    today = today or timezone.localdate()
    return assignment.valid_until is not None and assignment.valid_until < today


@transaction.atomic
def end_assignment(assignment, *, actor, on=None):
    """End a role assignment.

    `on` is the last day the role still applies (valid_until is inclusive, as everywhere in
    the permission layer). Without `on` the role ends at once: its last day was yesterday, so
    the person loses the permissions now, not at midnight.
    """
    assignment = (
        RoleAssignment.objects.select_for_update()
        .select_related("role", "node", "user")
        .get(pk=assignment.pk)
    )
    if actor is not None and not can(actor, MANAGE_USERS, assignment.node):
        raise PermissionDenied
    today = timezone.localdate()
    if is_ended(assignment, today):
        raise ValidationError(_("This role assignment has already ended."), code="ended")
    held_before = _someone_holds(MANAGE_ROLES)
    assignment.valid_until = on or today - timedelta(days=1)
    assignment.save(update_fields=["valid_until"])
    _check_no_lockout(held_before)
    forget_grants(assignment.user)
    record_event(
        assignment.user,
        "accounts.role_ended",
        actor,
        role=assignment.role.name,
        node=assignment.node.name,
        last_day=assignment.valid_until,
    )
    return assignment


# -- role permissions ---------------------------------------------------------------------------


def _set_role_permissions(*, actor, role, keys):
    keys = set(keys)
    unknown = keys - set(PERMISSION_KEYS)
    if unknown:
        raise ValidationError(
            _("Unknown permission: %(keys)s") % {"keys": ", ".join(sorted(unknown))},
            code="unknown_key",
        )
    before = set(role.permissions.values_list("key", flat=True))
    added, removed = sorted(keys - before), sorted(before - keys)
    if not added and not removed:
        return False
    for key in added:
        Permission.objects.get_or_create(key=key)
    role.permissions.set(Permission.objects.filter(key__in=keys))
    record_event(
        role,
        "accounts.role_permissions_changed",
        actor,
        role=role.name,
        added=", ".join(added),
        removed=", ".join(removed),
    )
    return True


def _require_manage_roles(actor):
    if actor is not None and not holds(actor, MANAGE_ROLES):
        raise PermissionDenied


@transaction.atomic
def set_role_permissions(*, actor, role, keys):
    """Make `keys` the role's permissions; returns whether anything changed."""
    _require_manage_roles(actor)
    held_before = _someone_holds(MANAGE_ROLES)
    changed = _set_role_permissions(actor=actor, role=role, keys=keys)
    if changed:
        _check_no_lockout(held_before)
        if actor is not None:
            forget_grants(actor)
    return changed


@transaction.atomic
def save_permission_matrix(*, actor, wanted):
    """Apply {role: keys} for several roles at once; the lock-out check sees the end result.

    Returns the roles that changed.
    """
    _require_manage_roles(actor)
    held_before = _someone_holds(MANAGE_ROLES)
    changed = [
        role
        for role, keys in wanted.items()
        if _set_role_permissions(actor=actor, role=role, keys=keys)
    ]
    if changed:
        _check_no_lockout(held_before)
        if actor is not None:
            forget_grants(actor)
    return changed
