"""What the risk statistics are counted from (risks/statistics_data.py keeps them a year at a
time, core/kept.py): an analysis, its events, participants and measures change the figures of
the year the analysis was made; the rules of required functions, the matrices and the tree
change every year's."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from actions.models import Action
from core.kept import watch
from organisation.models import OrgNode
from risks import models
from risks.statistics_data import TOPIC, year_topic


def _year_of(analysis_id):
    made = models.RiskAnalysis.objects.filter(pk=analysis_id).values_list("created_at", flat=True)
    made = made.first()
    return None if made is None else timezone.localtime(made).year


def _topics(year):
    # An analysis no longer there (deleted with it): every year, to be sure.
    return [TOPIC] if year is None else [year_topic(year)]


def of_analysis(analysis):
    if analysis.created_at is None:
        return _topics(None)
    return _topics(timezone.localtime(analysis.created_at).year)


def of_part(part):
    """An event or a participant: the year of its analysis."""
    return _topics(_year_of(part.analysis_id))


def of_measure(action):
    types = ContentType.objects.get_for_models(models.RiskAnalysis, models.RiskEvent)
    if action.source_type_id == types[models.RiskAnalysis].pk:
        return _topics(_year_of(action.source_id))
    if action.source_type_id == types[models.RiskEvent].pk:
        event = models.RiskEvent.objects.filter(pk=action.source_id).values_list(
            "analysis_id", flat=True
        )
        return _topics(_year_of(event.first()))
    return []


def of_everything(_instance):
    return [TOPIC]


watch(of_analysis, models.RiskAnalysis)
watch(of_part, models.RiskEvent, models.Participant)
watch(of_measure, Action)
watch(of_everything, models.FunctionRule, models.ParticipantFunction, models.RiskMatrix, OrgNode)
