"""The actions' figures on the start page (core.surfaces.start_figure, registered in
actions/registrations.py).

Each count is the number of rows of the balanslista with the filter its figure links to
(actions.forms.ActionFilterForm, the list's own filter), in one query.
"""

from django.http import QueryDict

from accounts.scoping import holds

MINE = "mine=on"
MINE_OVERDUE = "mine=on&overdue=on"
OVERDUE = "overdue=on"


def _rows(user, query):
    from actions.forms import ActionFilterForm
    from actions.models import Action

    form = ActionFilterForm(QueryDict(query), user=user)
    return form.filter(Action.objects.visible_to(user), user).order_by().count()


def mine(user):
    """The person's open actions: the balanslista with "Only my actions"."""
    return _rows(user, MINE)


def mine_overdue(user):
    """Those of them past their date (or their effect check's)."""
    return _rows(user, MINE_OVERDUE)


def overdue(user):
    """Open actions past their date in the units the person follows."""
    return _rows(user, OVERDUE)


def without_the_list(user):
    """Staff who own actions reach them from here; for the others a 0 is worth showing."""
    return not holds(user, "actions.view")
