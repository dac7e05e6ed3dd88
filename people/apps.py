from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """User administration: accounts, role assignments, the permission matrix, invitations,
    login and two-factor pages. The models and the permission layer are in accounts."""

    name = "people"
    verbose_name = _("Users and roles")

    def ready(self):
        # Event wordings; the login receiver and the system check of two-factor; the menu and
        # the start page (registrations).
        from . import registrations, two_factor, verbs  # noqa: F401
