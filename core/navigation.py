"""The main menu: each entry names the permission key that shows it."""

from django.utils.translation import gettext_lazy as _

MENU = [
    ("core:start", _("Start"), None),
    ("organisation:tree", _("Organisation"), "organisation.view"),
    ("organisation:responsibility", _("Responsibilities"), "responsibility.view"),
    ("legal:register", _("Laws and regulations"), "legal.view"),
    ("accounts:users", _("Users"), "accounts.view_users"),
    ("accounts:roles", _("Roles and permissions"), "accounts.manage_roles"),
    ("audit:access_log", _("Access log"), "audit.view_access_log"),
]


def menu_for(user):
    from accounts.scoping import held_keys

    keys = held_keys(user)
    return [(name, label) for name, label, key in MENU if key is None or key in keys]
