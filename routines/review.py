"""Periodic review of routines in force (SOSFS 2011:9 4 kap: routines are kept current).

`record_review(routine, actor=, outcome=, note=, reviewed_on=None, form_token=None)`:
- "no_change": the routine still holds; a RoutineReview row is written and the next review
  date moves to reviewed_on + the routine's interval;
- "revise": the review is recorded and a new draft version is started
  (`routines.services.draft.new_version`); the review date moves when that version is published.

Who may: the routine's owner, and holders of routines.manage at the routine's node.

`reviews_for(user)`: the routines whose review the person follows (those within their
routines.manage scope, plus their own), the overdue and the upcoming ones.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can, scope_q
from audit.services import record_event
from routines.models import Routine, RoutineReview, VersionState
from routines.services.base import add_months

MANAGE = "routines.manage"
Outcome = RoutineReview.Outcome


def may_review(user, routine):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return routine.owner_id == user.pk or can(user, MANAGE, routine)


def _same_form(existing, actor):
    if existing.reviewed_by_id != actor.pk:
        raise ValidationError(_("This form has already been used. Open a new form."))
    existing.just_created = False
    return existing


@transaction.atomic
def record_review(routine, *, actor, outcome, note="", reviewed_on=None, form_token=None):
    """Record a review of the routine's version in force; returns the RoutineReview.

    `form_token` makes the form safe to send twice: the second call returns the first review
    (`just_created` False).
    """
    if form_token is not None:
        existing = RoutineReview.objects.filter(form_token=form_token).first()
        if existing is not None:
            return _same_form(existing, actor)
    routine = Routine.objects.select_for_update().get(pk=routine.pk)
    if not may_review(actor, routine):
        raise PermissionDenied
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the review.")})
    version = routine.current_version
    if version is None or version.state != VersionState.PUBLISHED or routine.withdrawn_at:
        raise ValidationError(_("Only a routine in force can be reviewed."))
    today = timezone.localdate()
    reviewed_on = reviewed_on or today
    if reviewed_on > today:
        raise ValidationError({"reviewed_on": _("A review cannot be dated in the future.")})
    published = version.published_at and timezone.localtime(version.published_at).date()
    if published and reviewed_on < published:
        raise ValidationError(
            {"reviewed_on": _("The review date is before the version in force was published.")}
        )
    note = (note or "").strip()
    if outcome == Outcome.REVISE and not note:
        raise ValidationError({"note": _("Say what needs to be revised.")})
    if outcome == Outcome.NO_CHANGE:
        next_review = add_months(reviewed_on, routine.review_interval_months)
    else:
        next_review = routine.next_review_on or add_months(
            reviewed_on, routine.review_interval_months
        )
    review = RoutineReview(
        routine=routine,
        version=version,
        reviewed_by=actor,
        reviewed_on=reviewed_on,
        outcome=outcome,
        note=note,
        next_review_on=next_review,
        form_token=form_token,
    )
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        existing = RoutineReview.objects.filter(form_token=form_token).first()
        if existing is None:
            raise
        return _same_form(existing, actor)
    review.just_created = True
    review.new_version = None
    if outcome == Outcome.NO_CHANGE:
        routine.next_review_on = next_review
        routine.save(update_fields=["next_review_on"])
        record_event(
            routine,
            "routines.reviewed",
            actor,
            version=version.number,
            next=next_review.isoformat(),
        )
    else:
        from routines.services.draft import new_version

        record_event(routine, "routines.review_revise", actor, version=version.number)
        review.new_version = new_version(routine, actor=actor)
    return review


# -- lists -------------------------------------------------------------------------------------


def followed_by(user):
    """Routines in force whose review the person follows: within their routines.manage
    scope, and their own."""
    return (
        Routine.objects.filter(scope_q(user, MANAGE, "unit") | Q(owner=user))
        .filter(
            current_version__state=VersionState.PUBLISHED,
            withdrawn_at__isnull=True,
            next_review_on__isnull=False,
        )
        .select_related("unit", "owner")
    )


def reviews_for(user, *, within_days=90, today=None, mine_only=False):
    """(overdue, upcoming): routines past their review date, and those due within the days,
    each by date. Two queries."""
    today = today or timezone.localdate()
    rows = followed_by(user)
    if mine_only:
        rows = rows.filter(owner=user)
    overdue = list(rows.filter(next_review_on__lt=today).order_by("next_review_on", "title"))
    upcoming = list(
        rows.filter(
            next_review_on__gte=today,
            next_review_on__lte=today + datetime.timedelta(days=within_days),
        ).order_by("next_review_on", "title")
    )
    for routine in overdue + upcoming:
        routine.days_late = max(0, (today - routine.next_review_on).days)
        routine.is_mine = routine.owner_id == user.pk
    return overdue, upcoming
