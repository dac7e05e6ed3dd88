"""Retention's entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from core.surfaces import menu_entry

menu_entry(
    "retention:overview",
    _("Retention"),
    "retention.manage",
    ("retention:",),
    group="administration",
    order=180,
)
