"""The yearly reports' entry in the main menu, their card and figures on the start page (the
figures' counts: reports/figures.py) and their demo loader."""

from django.utils.translation import gettext_lazy as _

from core.surfaces import menu_entry, start_card, start_figure
from organisation.demo_registry import demo_loader
from reports import figures
from reports.models import VIEW, WRITE

menu_entry("reports:list", _("Yearly reports"), VIEW, ("reports:",), group="follow_up", order=125)
start_card(
    VIEW,
    "reports:list",
    _("Yearly reports"),
    _("Write the quality report and the patient safety report together, from the registers."),
    order=165,
)

# Shown only with something in them: a yearly report waits for months between its seasons.
start_figure(
    "reports.to_write",
    VIEW,
    _("Report chapters to write"),
    figures.to_write,
    "reports:chapters",
    query=figures.TO_WRITE,
    group="follow_up",
    order=390,
    hide_zero=True,
)
start_figure(
    "reports.to_judge",
    (VIEW, WRITE),
    _("Report chapters to judge"),
    figures.to_judge,
    "reports:chapters",
    query=figures.TO_JUDGE,
    group="follow_up",
    order=392,
    hide_zero=True,
)
start_figure(
    "reports.to_review",
    (VIEW, WRITE),
    _("Yearly reports in review"),
    figures.to_review,
    "reports:list",
    query=figures.TO_REVIEW,
    group="follow_up",
    order=394,
    tone="waiting",
    hide_zero=True,
)

# Last, after every register it reads has its demo data.
demo_loader("reports", "reports.demo.load_demo_report", order=900)
