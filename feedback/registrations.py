"""Feedback's entries in the main menu and its figures on the start page."""

from django.utils.translation import gettext_lazy as _

from core.chapters import PATIENT_SAFETY, report_chapter
from core.surfaces import menu_entry, start_figure
from feedback import figures
from feedback.models import COORDINATE, HANDLE, REGISTER, VIEW
from organisation.demo_registry import demo_loader

menu_entry(
    "feedback:register",
    _("Register feedback"),
    REGISTER,
    ("feedback:register",),
    group="report",
    order=35,
)
menu_entry(
    "feedback:list",
    _("Complaints and opinions"),
    VIEW,
    ("feedback:list", "feedback:held", "feedback:detail", "feedback:"),
    group="deviations",
    order=55,
)

start_figure(
    "feedback.unacknowledged",
    HANDLE,
    _("Feedback whose receipt is not confirmed"),
    figures.unacknowledged,
    "feedback:list",
    query=figures.UNACKNOWLEDGED,
    group="deviations",
    order=150,
    tone="waiting",
    hide_zero=True,
)
start_figure(
    "feedback.late",
    HANDLE,
    _("Feedback past its target"),
    figures.late,
    "feedback:list",
    query=figures.LATE,
    group="deviations",
    order=160,
    tone="overdue",
    hide_zero=True,
)
start_figure(
    "feedback.held",
    COORDINATE,
    _("Submissions held for review"),
    figures.held,
    "feedback:held",
    group="deviations",
    order=170,
    tone="waiting",
    hide_zero=True,
)

demo_loader("feedback", "feedback.demo.load_demo_feedback", order=150)

# Chapter 5:3 of the yearly quality report (core/chapters.py).
report_chapter("5:3", "feedback.report_chapter.complaints", order=10)
report_chapter(
    "ps-8", "feedback.report_chapter.health_care_complaints", order=10, reports=(PATIENT_SAFETY,)
)
