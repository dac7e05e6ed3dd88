"""Measures of a risk analysis: actions (actions.services.create_action) whose source is the
analysis or one of its events."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from actions.models import Action
from actions.services import create_action
from audit.services import record_event
from risks.models import RiskAnalysis, RiskEvent, Status
from risks.services.base import locked, require_manage


def measures_q(analysis_ids):
    """A Q over actions whose source is one of the analyses or one of their events."""
    types = ContentType.objects.get_for_models(RiskAnalysis, RiskEvent)
    event_ids = RiskEvent.objects.filter(analysis_id__in=analysis_ids).values("pk")
    return Q(source_type=types[RiskAnalysis], source_id__in=analysis_ids) | Q(
        source_type=types[RiskEvent], source_id__in=event_ids
    )


def measures_of(analysis, user=None):
    """The actions of the analysis and its events (those the person may see, when given)."""
    queryset = Action.objects.all() if user is None else Action.objects.visible_to(user)
    return queryset.filter(measures_q([analysis.pk])).select_related("owner", "unit")


@transaction.atomic
def add_measure(
    analysis,
    *,
    actor,
    title,
    owner,
    due_date,
    event=None,
    description="",
    planned_effect_check_date=None,
    form_token=None,
):
    """An action for the analysis, or for one of its events, in the analysis's unit."""
    stored = locked(analysis)
    require_manage(actor, stored)
    if stored.status == Status.CLOSED:
        raise ValidationError(_("A closed analysis is reopened before it is changed."))
    if event is not None and event.analysis_id != stored.pk:
        raise ValidationError({"event": _("Choose an event of this analysis.")})
    action = create_action(
        actor=actor,
        unit=stored.unit,
        title=title,
        owner=owner,
        due_date=due_date,
        source=event if event is not None else stored,
        description=description,
        planned_effect_check_date=planned_effect_check_date,
        form_token=form_token,
    )
    if action.just_created:
        record_event(
            stored,
            "risks.measure_added",
            actor,
            title=action.title,
            event=event.description if event is not None else "",
        )
    return action
