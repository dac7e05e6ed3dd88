"""The deviations' entries in the main menu and on the start page."""

from django.utils.translation import gettext_lazy as _

from core.surfaces import menu_entry, start_card, start_figure
from deviations import figures
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

# The numbers that need the person, each a link to the list it counts (deviations/figures.py).
start_figure(
    "deviations.to_classify",
    ("deviations.triage", "deviations.view"),
    _("Reports to classify"),
    figures.to_classify,
    "deviations:list",
    query=figures.TO_CLASSIFY,
    group="deviations",
    order=110,
    tone="waiting",
)
start_figure(
    "deviations.deadlines_passed",
    "deviations.view",
    _("Deadlines passed"),
    figures.deadlines_passed,
    "notifications:inbox",
    fragment="inbox-clocks",
    group="deviations",
    order=120,
    tone="overdue",
)
start_figure(
    "deviations.deadlines",
    "deviations.view",
    _("Deadlines you answer for"),
    figures.deadlines,
    "notifications:inbox",
    fragment="inbox-clocks",
    group="deviations",
    order=130,
    tone="waiting",
)
start_figure(
    "deviations.investigations",
    "deviations.investigate",
    _("Investigations assigned to you"),
    figures.investigations,
    "notifications:inbox",
    fragment="inbox-investigations",
    group="deviations",
    order=140,
)

# Cases at several stages, so every part of the deviation flow has something to show.
demo_loader("deviations", "deviations.demo.load_demo_deviations", order=100)
