"""The yearly reports' figures on the start page (core.surfaces.start_figure, registered in
reports/registrations.py).

Each count is the number of rows of the list its figure links to, read with the list's own
filter (reports/views/work.py, on the querysets of reports/work.py) in one query: the chapters
to write, the chapters to judge, and the reports in review the person takes to the board.
"""

from django.http import QueryDict

TO_WRITE = "show=to_write"
TO_JUDGE = "show=to_judge"
TO_REVIEW = "show=to_review"


def _chapters(user, query):
    from reports.views.work import chapter_rows

    return chapter_rows(user, QueryDict(query))[1].order_by().count()


def to_write(user):
    """Chapters with no text yet, in written drafts, whose text the person writes."""
    return _chapters(user, TO_WRITE)


def to_judge(user):
    """Chapters with no verdict yet, in written drafts the person writes."""
    return _chapters(user, TO_JUDGE)


def to_review(user):
    """Reports in review that the person writes: the list of reports filtered to them."""
    from reports.views.work import report_rows

    return report_rows(user, QueryDict(TO_REVIEW))[1].order_by().count()
