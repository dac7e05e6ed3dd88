"""Open actions keep their unit from being closed (organisation/open_cases.py)."""

from django.utils.translation import ngettext

from actions.models import Action
from organisation.open_cases import OpenCases, list_url, register


@register
def open_actions(node):
    count = Action.objects.filter(unit=node).open().count()
    label = ngettext("%(count)d open action", "%(count)d open actions", count)
    return OpenCases(count, label % {"count": count}, list_url("actions:list", node))
