"""The law register's entries in the main menu and on the start page."""

from django.utils.translation import gettext_lazy as _

from core.surfaces import menu_entry, start_card, start_figure
from legal import figures

menu_entry(
    "legal:register",
    _("Laws and regulations"),
    "legal.view",
    ("legal:",),
    group="routines",
    order=130,
)
start_card(
    "legal.view",
    "legal:my_units",
    _("Laws that apply to my unit"),
    _("The laws and regulations your unit has stated apply to its work."),
    order=140,
)
start_card(
    "legal.state_applicability",
    "legal:coverage",
    _("State applicable laws"),
    _("Which units have stated the laws that apply to them, and which have not."),
    order=170,
)

# The units that have stated nothing, for those who state it (legal/figures.py).
start_figure(
    "legal.units_without_laws",
    ("legal.state_applicability", "legal.view"),
    _("Units that have not stated their laws"),
    figures.units_without_laws,
    "legal:coverage",
    query=figures.MISSING,
    group="routines",
    order=250,
)
