"""Object URLs of the risk analyses: an analysis of unit A, its event and participant."""

from risks.models import Participant, ParticipantFunction, RiskAnalysis, RiskEvent
from risks.services.analysis import create_analysis
from risks.services.events import add_event
from risks.services.participants import add_participant


def _analysis(c):
    return RiskAnalysis.objects.filter(unit=c.unit_a).first() or create_analysis(
        actor=None,
        unit=c.unit_a,
        title="Riskanalys",
        subject_kind="staffing_change",
        responsible=c.manager_a,
    )


def _event(c):
    analysis = _analysis(c)
    return RiskEvent.objects.filter(analysis=analysis).first() or add_event(
        analysis, actor=None, description="Fall", likelihood=2, consequence=2
    )


def _participant(c):
    analysis = _analysis(c)
    return Participant.objects.filter(analysis=analysis).first() or add_participant(
        analysis,
        actor=None,
        name="Maja",
        function=ParticipantFunction.objects.get(code="unit_manager"),
    )


def _a(c):
    return {"pk": _analysis(c).pk}


def _e(c):
    return {"pk": _event(c).pk}


OBJECT_URLS = {
    "risks:detail": (_a, "get", True),
    "risks:edit": (_a, "get", True),
    "risks:move": (_a, "post", True),
    "risks:review": (_a, "get", True),
    "risks:participant_add": (_a, "get", True),
    "risks:participant_remove": (lambda c: {"pk": _participant(c).pk}, "post", True),
    "risks:event_add": (_a, "get", True),
    "risks:event_edit": (_e, "get", True),
    "risks:event_remove": (_e, "post", True),
    "risks:event_residual": (_e, "get", True),
    "risks:measure_add": (_a, "get", True),
}
