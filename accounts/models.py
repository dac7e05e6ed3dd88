from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet, holds_at_root


class UserQuerySet(models.QuerySet):
    def visible_to(self, user, key="accounts.view_users"):
        """People with a role inside the viewer's scope, and the viewer themself.

        People with no role at all are seen only by those who hold the key at the top of a tree.
        """
        if not user.is_authenticated:
            return self.none()
        in_scope = RoleAssignment.objects.visible_to(user, key).filter(user=OuterRef("pk"))
        q = Q(pk=user.pk) | Exists(in_scope)
        if holds_at_root(user, key):
            q |= ~Exists(RoleAssignment.objects.filter(user=OuterRef("pk")))
        return self.filter(q)


class HjuletUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in. Roles come from RoleAssignment, never from Django's groups."""

    title = models.CharField(_("title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    view_permission = "accounts.view_users"

    objects = HjuletUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class Permission(models.Model):
    key = models.CharField(_("key"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("permission")
        verbose_name_plural = _("permissions")
        ordering = ["key"]

    def __str__(self):
        return self.key

    @property
    def description(self):
        from accounts.keys import PERMISSION_KEYS

        return PERMISSION_KEYS.get(self.key, self.key)


class Role(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=100)
    permissions = models.ManyToManyField(
        Permission, blank=True, related_name="roles", verbose_name=_("permissions")
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["order", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        if (get_language() or "sv").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class RoleAssignmentQuerySet(ScopedQuerySet):
    def active(self, on=None):
        day = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day),
        )


class RoleAssignment(models.Model):
    """A role held by a person at an org node, for that node alone or its whole subtree."""

    scope_lookup = "node"
    view_permission = "accounts.view_users"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("user")
    )
    role = models.ForeignKey(
        Role, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("role")
    )
    node = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("organisation unit"),
    )
    include_subtree = models.BooleanField(_("covers the units below"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["role__order", "node__path"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "node"], name="unique_role_assignment"),
        ]

    def __str__(self):
        return f"{self.user} – {self.role.label} – {self.node}"

    def get_scope_node(self):
        return self.node

    @property
    def is_active(self):
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_until is None or self.valid_until >= today
        )
