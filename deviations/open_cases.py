"""Open deviations keep their unit from being closed (organisation/open_cases.py)."""

from django.utils.translation import ngettext

from deviations.models import Deviation, DeviationStatus
from organisation.open_cases import OpenCases, list_url, register


@register
def open_deviations(node):
    # Counted whatever the track: a lex Sarah or lex Maria case holds the unit open too; the
    # count says nothing about the case.
    count = Deviation.objects.filter(unit=node).exclude(status=DeviationStatus.CLOSED).count()
    label = ngettext("%(count)d open deviation", "%(count)d open deviations", count)
    return OpenCases(count, label % {"count": count}, list_url("deviations:list", node))
