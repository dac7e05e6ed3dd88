"""A board's decision as the minutes record it (which board, the date, the paragraph and the
registry number): cleaned and checked once for everything a board decides on (an aggregated
analysis, a yearly report). The form is core/forms.py `BoardDecisionForm`."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def paragraph_number(value):
    """'§ 17', '17 §' and '17' are the same paragraph: keep '17'."""
    return " ".join((value or "").replace("§", " ").split())


def clean_decision(*, decision_body, decision_date, paragraph, registry_number):
    """The decision's fields with their spaces tidied and the paragraph without its sign, or a
    ValidationError naming each field that is missing or wrong."""
    cleaned = {
        "decision_body": " ".join((decision_body or "").split()),
        "decision_date": decision_date,
        "paragraph": paragraph_number(paragraph),
        "registry_number": " ".join((registry_number or "").split()),
    }
    errors = {}
    if not cleaned["decision_body"]:
        errors["decision_body"] = _("Say which board decided, e.g. Socialnämnden.")
    if decision_date is None:
        errors["decision_date"] = _("Give the date of the decision.")
    elif decision_date > timezone.localdate():
        errors["decision_date"] = _("The date of the decision cannot be in the future.")
    if not cleaned["paragraph"]:
        errors["paragraph"] = _("Give the paragraph (§) of the minutes.")
    if not cleaned["registry_number"]:
        errors["registry_number"] = _("Give the registry number (Dnr).")
    if errors:
        raise ValidationError(errors)
    return cleaned
