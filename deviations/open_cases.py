"""Open deviations keep their unit from being closed (organisation/open_cases.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.services import record_event
from audit.verbs import register as register_verb
from deviations.models import Deviation, DeviationStatus
from organisation.open_cases import OpenCases, list_url, register, register_mover

# Names only the units: the event is read by more people than the case itself.
register_verb("deviations.unit_moved", _("Moved from %(source)s to %(target)s by %(actor)s"))


def _open(node):
    return Deviation.objects.filter(unit=node).exclude(status=DeviationStatus.CLOSED)


@register
def open_deviations(node):
    # Counted whatever the track: a lex Sarah or lex Maria case holds the unit open too; the
    # count says nothing about the case.
    count = _open(node).count()
    label = ngettext("%(count)d open deviation", "%(count)d open deviations", count)
    return OpenCases(count, label % {"count": count}, list_url("deviations:list", node))


@register_mover
def move_deviations(node, target, actor):
    # One save each, not an update(): the change log records it and the statistics recount.
    moved = 0
    for deviation in _open(node).select_for_update():
        deviation.unit = target
        deviation.save()
        record_event(
            deviation, "deviations.unit_moved", actor, source=node.name, target=target.name
        )
        moved += 1
    return moved
