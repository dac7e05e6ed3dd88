"""The one way a report's pages find it: the report if the person may read it (404 alike for
one that does not exist and one they may not see), and the key a step needs on it."""

from accounts.access import get_visible_or_404, require
from reports.models import VIEW, Report


def visible_report(request, pk, key=VIEW):
    report = get_visible_or_404(
        Report.objects.select_related("scope", "created_by"), request.user, VIEW, pk=pk
    )
    if key != VIEW:
        require(request.user, key, report, request=request)
    return report
