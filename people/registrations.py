"""User administration's entries in the main menu and on the start page."""

from django.utils.translation import gettext_lazy as _

from core.surfaces import menu_entry, start_card

menu_entry(
    "accounts:users",
    _("Users"),
    "accounts.view_users",
    ("accounts:user", "accounts:assign"),
    group="administration",
    order=140,
)
menu_entry(
    "accounts:roles",
    _("Roles and permissions"),
    "accounts.manage_roles",
    ("accounts:role",),
    group="administration",
    order=150,
)
start_card(
    "accounts.view_users",
    "accounts:users",
    _("Users and roles"),
    _("Who holds which role where."),
    order=180,
)
start_card(
    "accounts.manage_roles",
    "accounts:roles",
    _("Roles and permissions"),
    _("Which permissions each role has."),
    order=190,
)
