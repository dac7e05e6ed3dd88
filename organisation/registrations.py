"""The organisation's entries in the main menu, on the start page and in the yearly report."""

from django.utils.translation import gettext_lazy as _

from core.chapters import PATIENT_SAFETY, report_chapter
from core.surfaces import menu_entry, start_card

menu_entry(
    "organisation:tree",
    _("Organisation"),
    "organisation.view",
    ("organisation:",),
    group="administration",
    order=90,
)
menu_entry(
    "organisation:responsibility",
    _("Responsibilities"),
    "responsibility.view",
    ("organisation:responsibility", "organisation:duties"),
    group="routines",
    order=100,
)
start_card(
    "responsibility.view",
    "organisation:responsibility",
    _("Who does what in quality work"),
    _("The responsibility matrix: quality roles, the people who hold them and their duties."),
    order=150,
)
start_card(
    "organisation.view",
    "organisation:tree",
    _("Organisation"),
    _("Boards, administrations, departments, units and providers you can see."),
    order=160,
)

# Chapter 3 of the yearly quality report (core/chapters.py).
report_chapter("3", "organisation.report_chapter.responsibility", order=10)
# The patient safety report's responsibility chapter reads the same figures (PSL 3 kap 10 §).
report_chapter(
    "ps-2", "organisation.report_chapter.responsibility", order=10, reports=(PATIENT_SAFETY,)
)
