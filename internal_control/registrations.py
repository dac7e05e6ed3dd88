"""The internal control plans' entry in the main menu, their start-page figure, their demo and
their part of the yearly quality report."""

from django.utils.translation import gettext_lazy as _

from core.chapters import report_chapter
from core.surfaces import menu_entry, start_figure
from internal_control import figures
from organisation.demo_registry import demo_loader

menu_entry(
    "internal_control:list",
    _("Internal control"),
    "internal_control.view",
    ("internal_control:",),
    group="follow_up",
    order=118,
)

start_figure(
    "internal_control.mine_overdue",
    "internal_control.report",
    _("Control points past their reporting date"),
    figures.mine_overdue,
    "internal_control:overdue",
    query=figures.MINE,
    group="follow_up",
    order=380,
    tone="overdue",
    hide_zero=True,
)

# After the risk analyses (order 320): the plan is drafted from the board's yearly analysis.
demo_loader("internal_control", "internal_control.demo.load_demo_internal_control", order=330)

# Chapter 5:2 of the yearly quality report, after self-inspection (core/chapters.py).
report_chapter("5:2", "internal_control.report_chapter.internal_control", order=20)
