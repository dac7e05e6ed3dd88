"""The statistics' entry in the main menu, and their figures on the start page."""

from django.utils.translation import gettext_lazy as _

from analysis import figures
from core.chapters import PATIENT_SAFETY, report_chapter
from core.surfaces import menu_entry, start_figure
from organisation.demo_registry import demo_loader

menu_entry(
    "analysis:statistics",
    _("Statistics"),
    "analysis.view",
    ("analysis:",),
    group="follow_up",
    order=120,
)

# What the board and those who follow the figures see first (analysis/figures.py).
start_figure(
    "analysis.waiting_for_decision",
    "analysis.view",
    _("Analyses waiting for a decision"),
    figures.waiting_for_decision,
    "analysis:analyses",
    query=figures.WAITING,
    group="follow_up",
    order=410,
    tone="waiting",
    show=figures.decides_or_writes,
)
start_figure(
    "analysis.reports_this_year",
    "analysis.view",
    _("Reports this year"),
    figures.reports_this_year,
    "analysis:statistics",
    group="follow_up",
    order=420,
    tone="info",
    show=figures.follows_up,
)
start_figure(
    "analysis.deviations_this_year",
    "analysis.view",
    _("Deviations this year"),
    figures.deviations_this_year,
    "analysis:statistics",
    group="follow_up",
    order=430,
    tone="info",
    show=figures.follows_up,
)

# After the deviations and the feedback, whose figures the analysis takes.
demo_loader("analysis", "analysis.demo.load_demo_analysis", order=300)

# Chapters 5:4–5 and 5:6–8 of the yearly quality report (core/chapters.py).
report_chapter("5:4-5", "analysis.report_chapters.deviations", order=10)
report_chapter("5:6-8", "analysis.report_chapters.analyses", order=10)
report_chapter(
    "ps-7", "analysis.report_chapters.health_care_deviations", order=10, reports=(PATIENT_SAFETY,)
)
report_chapter(
    "ps-9", "analysis.report_chapters.health_care_results", order=10, reports=(PATIENT_SAFETY,)
)
