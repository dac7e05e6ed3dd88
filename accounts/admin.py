"""The Django admin for system administrators (shell/admin_site.py lets only system.admin in).

Everyday work happens in Hjulet's own pages (people/views.py), which go through the service
functions and write readable events; changes made here are kept by the field-level change log.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Permission, Role, RoleAssignment, User


class HjuletUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)


class HjuletUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ("role", "node", "include_subtree", "valid_from", "valid_until")
    raw_id_fields = ("node",)
    autocomplete_fields = ("role",)


@admin.register(User)
class HjuletUserAdmin(UserAdmin):
    form = HjuletUserChangeForm
    add_form = HjuletUserCreationForm
    list_display = ("username", "last_name", "first_name", "email", "title", "is_active")
    list_filter = ("is_active", "assignments__role")
    search_fields = ("username", "first_name", "last_name", "email", "title")
    ordering = ("last_name", "first_name", "username")
    inlines = [RoleAssignmentInline]
    # Roles come from role assignments; Django's groups, per-user permissions and the
    # superuser flag grant nothing in Hjulet and are left out.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "title", "phone")}),
        (_("Status"), {"fields": ("is_active",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")


@admin.register(Permission)
class PermissionAdmin(admin.ModelAdmin):
    list_display = ("key", "description")
    search_fields = ("key",)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "code", "order", "permission_count")
    search_fields = ("name", "name_en", "code")
    list_filter = ("permissions",)
    ordering = ("order", "name")
    filter_horizontal = ("permissions",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("permissions")

    @admin.display(description=_("permissions"))
    def permission_count(self, obj):
        return len(obj.permissions.all())


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "node", "include_subtree", "valid_from", "valid_until")
    list_filter = ("role", "include_subtree", "node__kind")
    search_fields = ("user__username", "user__first_name", "user__last_name", "node__name")
    list_select_related = ("user", "role", "node")
    raw_id_fields = ("user", "node")
    autocomplete_fields = ("role",)
    date_hierarchy = "created_at"
