"""The yearly reports' entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from core.surfaces import menu_entry
from organisation.demo_registry import demo_loader
from reports.models import VIEW

menu_entry("reports:list", _("Yearly reports"), VIEW, ("reports:",), group="follow_up", order=125)

# Last, after every register it reads has its demo data.
demo_loader("reports", "reports.demo.load_demo_report", order=900)
