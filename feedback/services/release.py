"""Marking what is secret or personal in a feedback, and releasing a copy of it as a public
document with that masked (feedback/release.py). A handler of the feedback marks, also once it
is closed: requests for public documents come after the case is finished."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from feedback.models import Masking
from feedback.release import occurs, render_copy_pdf
from feedback.services.common import lock, require_handle

MAX_PASSAGE = 1000


@transaction.atomic
def mark_passage(feedback, *, actor, passage, ground):
    """Mark a passage of what was written or of the answer; marking it again changes nothing."""
    locked = lock(feedback)
    require_handle(actor, locked)
    passage = " ".join((passage or "").split())
    if not passage:
        raise ValidationError({"passage": _("Copy the words to be masked.")}, code="required")
    if len(passage) > MAX_PASSAGE:
        raise ValidationError(
            {"passage": _("Mark at most %(n)s characters at a time.") % {"n": MAX_PASSAGE}},
            code="max_length",
        )
    if not (occurs(locked.description, passage) or occurs(locked.answer, passage)):
        raise ValidationError(
            {
                "passage": _(
                    "These words are not in what was written or in the answer. Copy them as "
                    "they stand there."
                )
            },
            code="not_found",
        )
    for existing in locked.maskings.all():
        if existing.passage.casefold() == passage.casefold():
            return existing
    masking = Masking.objects.create(
        feedback=locked, passage=passage, ground=ground, marked_by=actor
    )
    # The audit trail names the ground, never the secret words themselves.
    record_event(locked, "feedback.passage_masked", actor, ground=str(ground))
    return masking


@transaction.atomic
def unmark_passage(masking, *, actor):
    locked = lock(masking.feedback)
    require_handle(actor, locked)
    ground = str(masking.ground)
    masking.delete()
    record_event(locked, "feedback.passage_unmasked", actor, ground=ground)


def release_copy(feedback, *, actor):
    """The masked copy as PDF; that it was released, and by whom, is kept in the history."""
    require_handle(actor, feedback)
    pdf = render_copy_pdf(feedback, actor)
    record_event(feedback, "feedback.copy_released", actor)
    return pdf
