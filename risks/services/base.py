"""Checks shared by the risks services."""

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.scoping import can
from core.once import earlier_send
from risks.models import MANAGE, RiskAnalysis

# Records a risk analysis may be started from ("app_label.model"), with the subject kind it
# gets: checked visible to the person before it is linked.
ORIGINS = {
    "analysis.aggregatedanalysis": "deviation_pattern",
}


def may_manage(user, obj):
    return user is None or can(user, MANAGE, obj)


def require_manage(actor, obj):
    if not may_manage(actor, obj):
        raise PermissionDenied


def locked(analysis):
    """The analysis, locked for the rest of the transaction: one change at a time."""
    return (
        RiskAnalysis.objects.select_for_update(of=("self",))
        .select_related("unit", "responsible")
        .get(pk=analysis.pk)
    )


def refresh(analysis, stored):
    if analysis is not stored:
        for field in RiskAnalysis._meta.concrete_fields:
            setattr(analysis, field.attname, getattr(stored, field.attname))


def clean_text(value):
    return " ".join((value or "").split())


def check_unit(actor, unit):
    if not unit.is_active:
        raise ValidationError({"unit": _("This unit is closed.")}, code="closed")
    if not may_manage(actor, unit):
        raise ValidationError(
            {"unit": _("You may not make risk analyses for this unit.")}, code="unit"
        )


def require_editable(analysis):
    if not analysis.is_editable:
        raise ValidationError(
            _("Events are changed while the analysis is in progress. Reopen it first."),
            code="state",
        )


def origin_object(actor, label, pk):
    """The record named by "app_label.model" and pk, if whitelisted and visible to the
    person; None otherwise (the same for unknown and forbidden)."""
    if label not in ORIGINS:
        return None
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    queryset = model._default_manager.all()
    if actor is not None:
        queryset = queryset.visible_to(actor)
    try:
        return queryset.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        return None


def from_token(model, form_token, actor):
    """The record an earlier send of the same form created, or None (core/once.py)."""
    return earlier_send(model, form_token, lambda existing: may_manage(actor, existing))
