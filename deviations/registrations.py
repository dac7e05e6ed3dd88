"""The deviations' entries in the main menu and on the start page."""

from django.utils.translation import gettext_lazy as _

from core.surfaces import menu_entry, start_card
from organisation.demo_registry import demo_loader

menu_entry(
    "deviations:report",
    _("Report a deviation"),
    "deviations.report",
    ("deviations:report", "deviations:received"),
    group="report",
    order=30,
)
menu_entry(
    "deviations:mine",
    _("My reports"),
    "deviations.report",
    ("deviations:mine",),
    group="report",
    order=40,
)
menu_entry(
    "deviations:list",
    _("Deviations"),
    "deviations.view",
    ("deviations:",),
    group="deviations",
    order=50,
)
start_card(
    "deviations.report",
    "deviations:report",
    _("Report a deviation"),
    _("Something went wrong, or nearly did: report it here, also from your phone."),
    order=100,
)
start_card(
    "deviations.report",
    "deviations:mine",
    _("My reports"),
    _("Follow what happened to the deviations you reported."),
    order=110,
)
start_card(
    "deviations.view",
    "deviations:list",
    _("Deviations"),
    _("Classify, investigate and follow up the deviations of your units."),
    order=120,
)

# Cases at several stages, so every part of the deviation flow has something to show.
demo_loader("deviations", "deviations.demo.load_demo_deviations", order=100)
