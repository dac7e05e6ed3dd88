"""Self-inspection in the main menu, on the start page, in load_demo and in the yearly quality
report."""

from django.utils.translation import gettext_lazy as _

from core.chapters import PATIENT_SAFETY, report_chapter
from core.surfaces import menu_entry, start_card, start_figure
from inspections import figures
from organisation.demo_registry import demo_loader

menu_entry(
    "inspections:plans",
    _("Self-inspections"),
    "inspections.view",
    ("inspections:",),
    group="follow_up",
    order=117,
)
start_card(
    "inspections.view",
    "inspections:plans",
    _("Self-inspections"),
    _("Plan, carry out and follow up the unit's self-inspections (egenkontroller)."),
    order=160,
)
start_figure(
    "inspections.overdue",
    "inspections.manage",
    _("Self-inspections overdue"),
    figures.overdue,
    "inspections:due",
    query=figures.OVERDUE,
    group="follow_up",
    order=340,
    tone="overdue",
    hide_zero=True,
)
start_figure(
    "inspections.due_soon",
    "inspections.manage",
    _("Self-inspections due within 30 days"),
    figures.due_soon,
    "inspections:due",
    query=figures.SOON,
    group="follow_up",
    order=350,
    tone="todo",
    hide_zero=True,
)

# The starter library, plans and two years of executions (after the routines: questions cite
# them).
demo_loader("inspections", "inspections.demo.load_demo_inspections", order=260)

# Chapter 5:2 of the yearly quality report, before the internal control (core/chapters.py).
report_chapter("5:2", "inspections.report_chapter.self_inspections", order=10)
report_chapter(
    "ps-6",
    "inspections.report_chapter.health_care_self_inspections",
    order=10,
    reports=(PATIENT_SAFETY,),
)
