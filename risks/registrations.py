"""The risk analyses' entry in the main menu, their start-page figures, their demo and their
chapter of the yearly quality report."""

from django.utils.translation import gettext_lazy as _

from core.chapters import PATIENT_SAFETY, report_chapter
from core.surfaces import menu_entry, start_figure
from organisation.demo_registry import demo_loader
from risks import figures

menu_entry(
    "risks:register", _("Risk analyses"), "risks.view", ("risks:",), group="follow_up", order=115
)

start_figure(
    "risks.waiting",
    "risks.manage",
    _("Risk analyses waiting for you"),
    figures.waiting,
    "risks:register",
    query=figures.WAITING,
    group="follow_up",
    order=360,
    tone="waiting",
    hide_zero=True,
)
start_figure(
    "risks.reviews_overdue",
    "risks.manage",
    _("Risk analyses past their review date"),
    figures.overdue,
    "risks:register",
    query=figures.OVERDUE,
    group="follow_up",
    order=370,
    tone="overdue",
)

# After the processes (order 300): an analysis may be of a demo process.
demo_loader("risks", "risks.demo.load_demo_risks", order=320)

# Chapter 5:1 of the yearly quality report (core/chapters.py).
report_chapter("5:1", "risks.report_chapter.risk_analysis", order=10)
report_chapter(
    "ps-5", "risks.report_chapter.health_care_risk_analysis", order=10, reports=(PATIENT_SAFETY,)
)
