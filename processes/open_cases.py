"""Processes in use keep their unit from being closed (organisation/open_cases.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.services import record_event
from audit.verbs import register as register_verb
from organisation.open_cases import OpenCases, list_url, register, register_mover
from processes.models import Process

register_verb("processes.unit_moved", _("Moved from %(source)s to %(target)s by %(actor)s"))


@register
def processes_in_use(node):
    count = Process.objects.filter(unit=node, is_active=True).count()
    label = ngettext("%(count)d process in use", "%(count)d processes in use", count)
    return OpenCases(count, label % {"count": count}, list_url("processes:register", node))


@register_mover
def move_processes(node, target, actor):
    moved = 0
    for process in Process.objects.filter(unit=node, is_active=True).select_for_update():
        process.unit = target
        process.save()
        record_event(process, "processes.unit_moved", actor, source=node.name, target=target.name)
        moved += 1
    return moved
