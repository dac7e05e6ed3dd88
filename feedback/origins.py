"""The feedback a deviation report was opened from, on the report's page
(deviations/origins.py): named to everyone who reads the report, a link for those who may read
the feedback."""

from django.utils.translation import gettext as _

from deviations.origins import Origin, register_origin
from feedback.models import VIEW, Feedback


@register_origin
def feedback_of(deviation, user):
    found = Feedback.objects.filter(deviation=deviation).order_by("pk")
    readable = set(found.visible_to(user, VIEW).values_list("pk", flat=True))
    return [
        Origin(
            _("%(kind)s %(reference)s")
            % {"kind": feedback.get_kind_display(), "reference": feedback.reference},
            feedback.get_absolute_url() if feedback.pk in readable else "",
        )
        for feedback in found
    ]
