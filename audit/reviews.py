"""Loggkontroll samples: draw reads of sensitive records for review, and mark them reviewed."""

import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import holds
from audit.models import AccessLog, AccessReview, ReviewState
from audit.patterns import rules
from audit.services import record_event

REVIEW = "audit.review_access_log"
# Enough ids to draw a fair sample from without loading a year of reads.
SAMPLE_POOL = 50_000


def _check(actor):
    if not holds(actor, REVIEW):
        raise ValidationError(_("You may not review the access log."))


def draw_sample(*, actor, period_from, period_to, person=None, size=None):
    """A new sample of up to `size` reads (refused attempts included) of the period, drawn at
    random, for one person or for everyone."""
    _check(actor)
    if period_from > period_to:
        raise ValidationError(_("The end date is before the start date."))
    size = size or rules()["sample_size"]
    rows = AccessLog.objects.filter(at__date__gte=period_from, at__date__lte=period_to)
    if person is not None:
        rows = rows.filter(user=person)
    pool = list(rows.order_by("-at").values_list("pk", flat=True)[:SAMPLE_POOL])
    if not pool:
        raise ValidationError(_("No reads were logged in the period: there is nothing to sample."))
    chosen = random.SystemRandom().sample(pool, min(size, len(pool)))
    with transaction.atomic():
        review = AccessReview.objects.create(
            period_from=period_from,
            period_to=period_to,
            person=person,
            person_repr=f"{person} ({person.username})" if person is not None else "",
            drawn_by=actor,
        )
        review.entries.set(chosen)
        record_event(review, "audit.sample_drawn", actor, count=len(chosen))
    return review


def mark_reviewed(review, *, actor, comment):
    """The reviewer has gone through the sample: their comment says what they found."""
    _check(actor)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Write what the review found, even if all was in order.")}
        )
    with transaction.atomic():
        locked = AccessReview.objects.select_for_update().get(pk=review.pk)
        if locked.state != ReviewState.OPEN:
            raise ValidationError(_("The sample has already been marked as reviewed."))
        locked.state = ReviewState.REVIEWED
        locked.comment = comment
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["state", "comment", "reviewed_by", "reviewed_at"])
        record_event(locked, "audit.sample_reviewed", actor)
    return locked
