"""The deviations' figures on the start page (core.surfaces.start_figure, registered in
deviations/registrations.py).

Each count is the number of rows of the list its figure links to, read in a fixed number of
queries: the register filtered by status (deviations/queries.py `filter_register`, the same
function the register uses), and the sections of Mina uppgifter (deviations/inbox.py).
"""

from django.http import QueryDict
from django.utils import timezone

from core.surfaces import shared_count
from deviations.models import DeviationStatus, Track, TrackState

TO_CLASSIFY = f"status={DeviationStatus.REPORTED}"


def to_classify(user):
    """Reports waiting for classification in the person's units: the register's rows for
    status "reported"."""
    from deviations.queries import filter_register

    _form, rows = filter_register(user, QueryDict(TO_CLASSIFY))
    return rows.order_by().count()


def _clock_items(user):
    from deviations.inbox import clock_section

    section = clock_section(user, timezone.now())
    return section.items if section is not None else []


def deadlines(user):
    """The deadlines the person answers for or is escalated to: the rows of "Deadlines" in
    Mina uppgifter."""
    return len(shared_count(user, "deviations.clocks", _clock_items))


def deadlines_passed(user):
    """Those of them past their time, marked "Overdue" in the same list."""
    return sum(1 for item in shared_count(user, "deviations.clocks", _clock_items) if item.overdue)


def investigations(user):
    """The open tracks the person investigates: the rows of "Investigations assigned to you"."""
    return (
        Track.objects.readable_by(user)
        .filter(investigators=user)
        .exclude(state=TrackState.CLOSED)
        .order_by()
        .count()
    )
