"""Feedback as a record type of the retention rules (gallring): a closed or discarded feedback
past its rule is anonymised. The row stays, so the statistics count it as before (kind, unit,
theme, the times against the targets); what was written, the answer, the person's name and
contact details, the notes, the attachments and the marked passages go, and the private link
stops working."""

from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat, Greatest
from django.utils.translation import gettext_lazy as _

from feedback.models import Attachment, Feedback, FeedbackTransition, Masking, Note, Status
from retention.models import RunsFrom, Thinning
from retention.record_types import newest
from retention.registry import RecordType, register
from retention.thinning import anonymise_rows


def anonymise_feedback(ids):
    ids = list(ids)
    transitions = FeedbackTransition.objects.filter(feedback_id__in=ids)

    def pks(model):
        return list(model.objects.filter(feedback_id__in=ids).values_list("pk", flat=True))

    anonymise_rows(
        kept={
            "feedback.Feedback": ids,
            "feedback.FeedbackTransition": list(transitions.values_list("pk", flat=True)),
        },
        removed={
            "feedback.Note": pks(Note),
            "feedback.Attachment": pks(Attachment),
            "feedback.Masking": pks(Masking),
        },
        personal={"feedback.Feedback": ("relation", "contact_name_hash")},
    )
    # The link's token is gone; its hash is unique, so it becomes one no link can give.
    Feedback.objects.filter(pk__in=ids).update(
        public_token_hash=Concat(Value("thinned-"), Cast("pk", CharField()))
    )
    return len(ids)


class FeedbackRecords(RecordType):
    code = "feedback"
    label = _("Complaints and opinions, with their notes, answers and attachments")
    model_label = "feedback.Feedback"
    unit_lookup = "unit"
    reference_field = "reference"
    # Only anonymised: the statistics and the quality report count every feedback received.
    actions = (Thinning.ANONYMISE,)
    events = (RunsFrom.CLOSED, RunsFrom.LAST_ENTRY, RunsFrom.CREATED)

    def candidates(self):
        # Feedback still being handled is never thinned, whatever its age.
        return super().candidates().filter(status__in=(Status.CLOSED, Status.DISCARDED))

    def date_expression(self, event):
        if event == RunsFrom.CREATED:
            return F("received_at")
        last_step = newest("feedback.FeedbackTransition", "feedback", "at")
        if event == RunsFrom.CLOSED:
            return Coalesce(F("closed_at"), last_step, F("received_at"))
        return Greatest(
            F("received_at"),
            Coalesce(last_step, F("received_at")),
            Coalesce(newest("feedback.Note", "feedback", "at"), F("received_at")),
        )

    def held_q(self, holds):
        return holds.units_q("unit") | Q(deviation_id__in=holds.held_deviation_ids())

    def reference(self, value):
        return value

    def thin(self, ids, action):
        return anonymise_feedback(ids)


register(FeedbackRecords())
