"""Permission checks and small helpers shared by the services of self-inspection."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.scoping import can
from inspections.models.checklist import EXECUTE, MANAGE


def person(actor):
    """The actor to store on a row (None for the system)."""
    return actor if actor is not None and actor.is_authenticated else None


def may_manage(actor, obj):
    return actor is None or can(actor, MANAGE, obj)


def may_execute(actor, obj):
    return actor is None or can(actor, EXECUTE, obj) or can(actor, MANAGE, obj)


def require_manage(actor, obj):
    if not may_manage(actor, obj):
        raise PermissionDenied


def require_execute(actor, obj):
    if not may_execute(actor, obj):
        raise PermissionDenied


def usable_at(template, unit):
    """A template is usable at its own node and in the subtree below it."""
    return template.is_active and unit.path.startswith(template.unit.path)


def check_usable(template, unit, field="template"):
    if not usable_at(template, unit):
        raise ValidationError(
            {field: _("This checklist is not in use at this unit.")}, code="template"
        )


def clean_text(value):
    return " ".join((value or "").split())
