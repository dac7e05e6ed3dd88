"""Feedback's figures on the start page (core.surfaces.start_figure, registered in
feedback/registrations.py): each the row count of the list it links to, with the list's own
filter (feedback/views/register.py `rows_for`), in one query."""

from django.http import QueryDict

UNACKNOWLEDGED = "show=unacknowledged"
LATE = "show=late"


def _count(user, query):
    from feedback.views.register import rows_for

    return rows_for(user, QueryDict(query))[1].order_by().count()


def unacknowledged(user):
    """Feedback whose receipt is not yet confirmed."""
    return _count(user, UNACKNOWLEDGED)


def late(user):
    """Open feedback past its target for the receipt or the answer."""
    return _count(user, LATE)


def held(user):
    from feedback.views.register import held_rows

    return held_rows(user).order_by().count()
