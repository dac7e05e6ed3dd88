"""Routines in force, or being worked on, keep their unit from being closed
(organisation/open_cases.py)."""

from django.db.models import Q
from django.utils.translation import ngettext

from organisation.open_cases import OpenCases, list_url, register
from routines.models import Routine, VersionState

WORKED_ON = (VersionState.DRAFT, VersionState.REVIEW, VersionState.APPROVED)


@register
def routines_in_force(node):
    count = (
        Routine.objects.filter(unit=node)
        .filter(Q(current_version__isnull=False) | Q(versions__state__in=WORKED_ON))
        .distinct()
        .count()
    )
    label = ngettext(
        "%(count)d routine in force or being written",
        "%(count)d routines in force or being written",
        count,
    )
    return OpenCases(count, label % {"count": count}, list_url("routines:register", node))
