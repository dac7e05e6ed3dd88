"""The processes' entry in the main menu, and their demo for `load_demo`."""

from django.utils.translation import gettext_lazy as _

from core.chapters import report_chapter
from core.surfaces import menu_entry
from organisation.demo_registry import demo_loader

menu_entry(
    "processes:register",
    _("Processes"),
    "processes.view",
    ("processes:",),
    group="routines",
    order=80,
)

# Processes whose activities link to the demo routines: loaded after them.
demo_loader("processes", "processes.demo.load_demo_processes", order=300)

# Chapter 4 of the yearly quality report, after the routines' part (core/chapters.py).
report_chapter("4", "processes.report_chapter.process_register", order=20)
