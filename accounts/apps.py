from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        # Signal receivers, and the check that the access log listens to sensitive reads.
        from . import audit_registration, checks, sessions  # noqa: F401
        from .seed import ensure_roles_and_permissions

        post_migrate.connect(ensure_roles_and_permissions, sender=self)
