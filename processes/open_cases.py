"""Processes in use keep their unit from being closed (organisation/open_cases.py)."""

from django.utils.translation import ngettext

from organisation.open_cases import OpenCases, list_url, register
from processes.models import Process


@register
def processes_in_use(node):
    count = Process.objects.filter(unit=node, is_active=True).count()
    label = ngettext("%(count)d process in use", "%(count)d processes in use", count)
    return OpenCases(count, label % {"count": count}, list_url("processes:register", node))
