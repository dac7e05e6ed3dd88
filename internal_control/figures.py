"""The internal control's figure on the start page (registered in registrations.py).

The count is the number of rows of the overdue list with the filter the figure links to
(`?mine=1`: the person's own control points past their reporting date), in one query.
"""

from internal_control.due import overdue_dates

MINE = "mine=1"


def mine_overdue(user):
    """The person's control points whose reporting date has passed without a result."""
    return overdue_dates(user, mine=True).count()
