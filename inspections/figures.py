"""The start-page figures of self-inspection (registered in inspections/registrations.py).

Each count is the number of rows of the list it links to: the occasions list
(inspections:due) filtered to the overdue ones, or to those due within 30 days, read with the
list's own queryset (`due_rows`) in one query.
"""

from django.http import QueryDict

OVERDUE = "state=overdue"
SOON = "state=soon"


def _count(user, query):
    from inspections.views.due import due_rows

    return due_rows(user, QueryDict(query))[1].order_by().count()


def overdue(user):
    """Occasions past their due date with no completed self-inspection, in the person's scope."""
    return _count(user, OVERDUE)


def due_soon(user):
    """Occasions due within 30 days, not yet done, in the person's scope."""
    return _count(user, SOON)
