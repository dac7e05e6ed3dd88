"""The inbox in the main menu and on the start page: everyone has one."""

from django.utils.translation import gettext_lazy as _

from core.surfaces import menu_entry, start_card

menu_entry(
    "notifications:inbox", _("My tasks"), None, ("notifications:inbox",), group="start", order=20
)
# Everyone has an inbox: deadlines, reports to classify, investigations and actions.
start_card(
    None,
    "notifications:inbox",
    _("My tasks"),
    _("Deadlines, reports to classify, investigations and actions waiting for you."),
    order=20,
)
