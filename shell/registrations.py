"""The shell's own entries: the start page in the menu, the Django admin on the start page."""

from django.utils.translation import gettext_lazy as _

from core.surfaces import menu_entry, start_card

menu_entry("shell:start", _("Start"), None, ("shell:",), group="start", order=10)
start_card(
    "system.admin",
    "admin:index",
    _("System administration"),
    _("Technical administration of all records."),
    order=220,
)
