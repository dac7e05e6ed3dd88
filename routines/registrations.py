"""The routines' entries in the main menu and on the start page."""

from django.utils.translation import gettext_lazy as _

from core.chapters import report_chapter
from core.surfaces import menu_entry, start_card, start_figure
from organisation.demo_registry import demo_loader
from routines import figures

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

# The numbers that need the person, each a link to the list it counts (routines/figures.py).
start_figure(
    "routines.to_acknowledge",
    "routines.view",
    _("Routines to read and acknowledge"),
    figures.to_acknowledge,
    "routines:mine",
    query="todo=on",
    group="routines",
    order=210,
)
start_figure(
    "routines.drafts_to_review",
    "routines.view",
    _("Routine drafts to give your view on"),
    figures.drafts_to_review,
    "notifications:inbox",
    fragment="inbox-routine_reviewer",
    group="routines",
    order=220,
    hide_zero=True,
)
start_figure(
    "routines.in_review",
    ("routines.approve", "routines.draft"),
    _("Routines in review"),
    figures.in_review,
    "routines:register",
    query=figures.IN_REVIEW,
    group="routines",
    order=230,
    tone="waiting",
)
start_figure(
    "routines.reviews_overdue",
    "routines.view",
    _("Routine reviews overdue"),
    figures.reviews_overdue,
    "routines:reviews",
    fragment="overdue-heading",
    group="routines",
    order=240,
    tone="overdue",
    show=figures.follows_routines,
)

# Routines at every stage of their workflow (the processes link to them: loaded later).
demo_loader("routines", "routines.demo.load_demo_routines", order=200)

# Chapters 4 (before the processes' part) and 6 of the yearly quality report (core/chapters.py).
report_chapter("4", "routines.report_chapter.routine_register", order=10)
report_chapter("6", "routines.report_chapter.staff_acknowledgment", order=10)
