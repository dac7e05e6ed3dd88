"""The routines' figures on the start page (core.surfaces.start_figure, registered in
routines/registrations.py).

Each count is the number of rows of the list its figure links to, read with the list's own
queryset in one or two queries: "Routines for my unit" filtered to those to acknowledge, the
register filtered to the routines in review, the periodic reviews past their date, and the drafts
the person is a named reviewer of (a section of Mina uppgifter, routines/hooks.py).
"""

from types import SimpleNamespace

from django.http import QueryDict
from django.utils import timezone

from accounts.scoping import holds

IN_REVIEW = "state=review"


def to_acknowledge(user):
    """Routines in force for the person's units that they have still to acknowledge: the rows
    of "Routines for my unit" with "Only those I have to acknowledge"."""
    from routines import acknowledgments
    from routines.views.reading import mine_queryset

    todo = acknowledgments.open_tasks(user).values("version__routine_id")
    return mine_queryset(user).filter(pk__in=todo).order_by().count()


def drafts_to_review(user):
    """Drafts the person is asked to give their view on: the rows of "Routine drafts to
    review" in Mina uppgifter."""
    from routines.models import Reviewer, Routine, VersionState

    return (
        Reviewer.objects.filter(
            user=user,
            done_at__isnull=True,
            version__state=VersionState.REVIEW,
            version__routine__in=Routine.objects.visible_to(user),
        )
        .order_by()
        .count()
    )


def in_review(user):
    """Routines with a version in review, to approve or send back: the register's rows for
    the state "in review"."""
    from routines.views.register import _filtered

    _form, rows = _filtered(SimpleNamespace(user=user, GET=QueryDict(IN_REVIEW)))
    return rows.order_by().count()


def reviews_overdue(user):
    """Routines in force past their review date that the person follows: the "Overdue" list
    of the periodic reviews."""
    from routines.review import followed_by

    return followed_by(user).filter(next_review_on__lt=timezone.localdate()).order_by().count()


def follows_routines(user):
    """Those who write or follow up routines see their reviews; readers do not."""
    return holds(user, "routines.draft") or holds(user, "routines.manage")
