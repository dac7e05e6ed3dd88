"""Self-inspections planned and not done keep their unit from being closed
(organisation/open_cases.py): a closed unit has no managers to carry them out or be reminded.
They are not moved with the unit's cases (the other unit plans its own year); they are carried
out or taken off the plan."""

from django.utils.translation import ngettext

from inspections.models import Occasion
from organisation.open_cases import OpenCases, list_url, register


@register
def planned_self_inspections(node):
    count = Occasion.objects.filter(item__plan__unit=node).not_done().count()
    label = ngettext(
        "%(count)d self-inspection planned and not done",
        "%(count)d self-inspections planned and not done",
        count,
    )
    return OpenCases(count, label % {"count": count}, list_url("inspections:due", node))
