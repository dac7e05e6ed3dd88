"""Object URLs of loggkontroll: a sample of the access log (tied to no unit: only holders of
audit.review_access_log reach it)."""

import datetime


def _sample(c):
    from audit.models import AccessReview

    found = AccessReview.objects.first()
    if found:
        return found
    return AccessReview.objects.create(
        period_from=datetime.date(2026, 1, 1), period_to=datetime.date(2026, 1, 31)
    )


OBJECT_URLS = {
    "audit:review_detail": (lambda c: {"pk": _sample(c).pk}, "get", False),
}
