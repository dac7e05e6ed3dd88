"""The statistics' entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from core.surfaces import menu_entry

menu_entry(
    "analysis:statistics",
    _("Statistics"),
    "analysis.view",
    ("analysis:",),
    group="follow_up",
    order=120,
)
