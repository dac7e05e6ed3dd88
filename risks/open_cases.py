"""Risk analyses not closed keep their unit from being closed (organisation/open_cases.py);
moving the unit's open cases moves them too."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.services import record_event
from audit.verbs import register as register_verb
from organisation.open_cases import OpenCases, list_url, register, register_mover
from risks.models import RiskAnalysis, Status

register_verb("risks.unit_moved", _("Moved from %(source)s to %(target)s by %(actor)s"))


def _open(node):
    return RiskAnalysis.objects.filter(unit=node).exclude(status=Status.CLOSED)


@register
def open_risk_analyses(node):
    count = _open(node).count()
    label = ngettext(
        "%(count)d risk analysis not closed", "%(count)d risk analyses not closed", count
    )
    return OpenCases(count, label % {"count": count}, list_url("risks:register", node))


@register_mover
def move_risk_analyses(node, target, actor):
    moved = 0
    for analysis in _open(node).select_for_update(of=("self",)):
        analysis.unit = target
        analysis.save(update_fields=["unit"])
        record_event(analysis, "risks.unit_moved", actor, source=node.name, target=target.name)
        moved += 1
    return moved
