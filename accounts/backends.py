from django.contrib.auth.backends import ModelBackend

from accounts.scoping import holds


class RoleBackend(ModelBackend):
    """Password login; Django's model permissions (the admin) follow the system.admin key."""

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and holds(user_obj, "system.admin")

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and holds(user_obj, "system.admin")
