"""What the statistics of feedback are counted from (feedback/statistics.py keeps them a year at
a time, core/kept.py): a feedback changes the figures of the year it was received; the tree
changes every year's."""

from django.utils import timezone

from core.kept import watch
from feedback.models import Feedback
from feedback.statistics import TOPIC, year_topic
from organisation.models import OrgNode


def of_feedback(feedback):
    return [year_topic(timezone.localtime(feedback.received_at).year)]


def of_everything(_instance):
    return [TOPIC]


watch(of_feedback, Feedback)
watch(of_everything, OrgNode)
