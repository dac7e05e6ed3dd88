"""The risk analyses' figures on the start page (registered in risks/registrations.py).

Each count is the number of rows of the risk register with the filter its figure links to
(risks.forms.RegisterFilterForm, the register's own filter), in one query.
"""

from django.http import QueryDict

OVERDUE = "overdue=1"
WAITING = "waiting=1"


def _rows(user, query):
    from risks.forms import RegisterFilterForm
    from risks.models import RiskAnalysis

    form = RegisterFilterForm(QueryDict(query))
    return form.filter(RiskAnalysis.objects.visible_to(user), user).order_by().count()


def overdue(user):
    """Decided analyses past their review date in the units the person follows."""
    return _rows(user, OVERDUE)


def waiting(user):
    """Analyses the person is responsible for that are still being worked on."""
    return _rows(user, WAITING)
