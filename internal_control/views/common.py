"""Shared reads of the internal control views: the visible plan or 404."""

from django.core.exceptions import PermissionDenied

from accounts.access import get_visible_or_404
from internal_control.models import VIEW, InternalControlPlan, InternalControlReport
from internal_control.services.base import may_manage


def visible_plan(request, pk):
    return get_visible_or_404(
        InternalControlPlan.objects.select_related("board", "risk_analysis"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )


def visible_report(request, pk):
    return get_visible_or_404(
        InternalControlReport.objects.select_related("plan__board"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )


def require_manage(request, board):
    if not may_manage(request.user, board):
        raise PermissionDenied
