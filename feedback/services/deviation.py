"""One step from a complaint to a deviation report: a complaint that reveals a possible
missförhållande (lex Sarah) or vårdskada (lex Maria) opens a report in the right unit with the
relevant text, filed by the handler through the deviations' own service, so the report's
clocks, classification and need-to-know apply to it as to any other. The two are linked both
ways: the feedback names the report, and the report's page names the feedback
(deviations/origins.py, registered in feedback/apps.py)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from deviations.models import Affected
from deviations.services import report
from feedback.services.common import lock, require_handle, require_open


@transaction.atomic
def open_deviation(feedback, *, actor, unit, description, lex_sarah=False, health_care=False):
    locked = lock(feedback)
    require_handle(actor, locked)
    require_open(locked)
    if locked.deviation_id is not None:
        raise ValidationError(
            _("A deviation report has already been opened from this feedback."), code="done"
        )
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Write what happened.")}, code="required")
    deviation = report(
        actor=actor,
        unit=unit,
        occurred_at=locked.received_at,
        description=description,
        immediate_action=_("Reported from the feedback %(reference)s.")
        % {"reference": locked.reference},
        service_user_affected=Affected.UNKNOWN,
        hint_lex_sarah=lex_sarah,
        hint_health_care=health_care,
    )
    locked.deviation = deviation
    locked.save(update_fields=["deviation"])
    record_event(locked, "feedback.deviation_opened", actor, deviation=deviation.reference)
    feedback.deviation = deviation
    return deviation
