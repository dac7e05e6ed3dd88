"""Which routines and versions a person may open, for every view of the module.

Visibility: `Routine.objects.visible_to` (routines apply down the tree). Versions still being
worked on (draft, in review, approved) are shown to those who write, approve or follow up the
routine and to its named reviewers; everyone who may read the routine sees the published
version and the history. Unknown and forbidden objects answer 404 alike.
"""

from django.db.models import Q
from django.http import Http404

from accounts.access import get_visible_or_404
from accounts.scoping import can
from routines.models import DRAFT, VIEW, Routine, RoutineVersion
from routines.services.base import OPEN_STATES
from routines.services.rules import MANAGE, holds_authority


def may_see_work(user, routine):
    """Versions in the works: for writers, followers and approvers of the routine."""
    return (
        can(user, DRAFT, routine)
        or can(user, MANAGE, routine)
        or holds_authority(user, routine.unit)
    )


def visible_routine(request, pk, queryset=None):
    queryset = queryset if queryset is not None else Routine.objects.all()
    return get_visible_or_404(
        queryset.select_related("unit", "owner", "current_version", "adopted_from"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )


def visible_versions(user, routine):
    """The versions of a routine (already checked visible) the person may open."""
    rows = routine.versions.all()
    if not may_see_work(user, routine):
        rows = rows.exclude(Q(state__in=OPEN_STATES) & ~Q(reviewers__user=user))
    return rows


def visible_version(request, pk):
    try:
        version = RoutineVersion.objects.select_related("routine").get(pk=pk)
    except (RoutineVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    routine = visible_routine(request, version.routine_id)
    if not visible_versions(request.user, routine).filter(pk=version.pk).exists():
        raise Http404
    version.routine = routine
    return version
