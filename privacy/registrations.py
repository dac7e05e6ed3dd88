"""The register extract's entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from core.surfaces import menu_entry

menu_entry(
    "privacy:search",
    _("Register extract"),
    "privacy.subject_access",
    ("privacy:",),
    group="administration",
    order=190,
)
