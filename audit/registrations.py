"""The log review's entries in the main menu and on the start page."""

from django.utils.translation import gettext_lazy as _

from core.surfaces import menu_entry, start_card

menu_entry(
    "audit:review",
    _("Log review"),
    "audit.review_access_log",
    ("audit:review",),
    group="follow_up",
    order=160,
)
menu_entry(
    "audit:access_log",
    _("Access log"),
    "audit.review_access_log",
    ("audit:access",),
    group="follow_up",
    order=170,
)
start_card(
    "audit.review_access_log",
    "audit:review",
    _("Log review"),
    _("Check who read sensitive records, and review samples of the reads."),
    order=200,
)
start_card(
    "audit.review_access_log",
    "audit:access_log",
    _("Access log"),
    _("Search reads of sensitive records by person and by record."),
    order=210,
)
