"""The routines' entries in the main menu and on the start page."""

from django.utils.translation import gettext_lazy as _

from core.surfaces import menu_entry, start_card
from organisation.demo_registry import demo_loader

menu_entry(
    "routines:mine",
    _("Routines for my unit"),
    "routines.view",
    ("routines:mine",),
    group="routines",
    order=60,
)
menu_entry(
    "routines:register", _("Routines"), "routines.draft", ("routines:",), group="routines", order=70
)
start_card(
    "routines.view",
    "routines:mine",
    _("Routines for my unit"),
    _("Find, read and print the routines in force for your work, and acknowledge new ones."),
    order=130,
)

# Routines at every stage of their workflow (the processes link to them: loaded later).
demo_loader("routines", "routines.demo.load_demo_routines", order=200)
