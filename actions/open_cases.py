"""Open actions keep their unit from being closed (organisation/open_cases.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actions.models import Action
from audit.services import record_event
from audit.verbs import register as register_verb
from organisation.open_cases import OpenCases, list_url, register, register_mover

register_verb("actions.unit_moved", _("Moved from %(source)s to %(target)s by %(actor)s"))


@register
def open_actions(node):
    count = Action.objects.filter(unit=node).open().count()
    label = ngettext("%(count)d open action", "%(count)d open actions", count)
    return OpenCases(count, label % {"count": count}, list_url("actions:list", node))


@register_mover
def move_actions(node, target, actor):
    moved = 0
    for action in Action.objects.filter(unit=node).open().select_for_update():
        action.unit = target
        action.save()
        record_event(action, "actions.unit_moved", actor, source=node.name, target=target.name)
        moved += 1
    return moved
