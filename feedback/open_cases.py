"""Open feedback keeps its unit from being closed (organisation/open_cases.py); moving the
unit's open cases moves it too."""

from django.utils.translation import ngettext

from audit.services import record_event
from feedback.models import OPEN, Feedback
from organisation.open_cases import OpenCases, list_url, register, register_mover


def _open(node):
    return Feedback.objects.filter(unit=node, status__in=OPEN)


@register
def open_feedback(node):
    count = _open(node).count()
    label = ngettext("%(count)d open feedback", "%(count)d open feedback", count)
    return OpenCases(count, label % {"count": count}, list_url("feedback:list", node))


@register_mover
def move_feedback(node, target, actor):
    moved = 0
    for feedback in _open(node).select_for_update(of=("self",)):
        feedback.unit = target
        feedback.save(update_fields=["unit"])
        record_event(feedback, "feedback.unit_moved", actor, source=node.name, target=target.name)
        moved += 1
    return moved
