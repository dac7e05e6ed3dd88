"""Reporting dates that are due: the common reading of the inbox, the reminders, the overdue
list and the start-page figure.

A reporting date is open while its plan is approved and no result is recorded for it; it is
near from `HJULET_INTERNAL_CONTROL_NOTICE_DAYS` (default 14) days before the date and overdue
from the day after it.
"""

import os
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from internal_control.models import ReportingDate, Status


def notice_days():
    value = getattr(settings, "HJULET_INTERNAL_CONTROL_NOTICE_DAYS", None)
    if value is None:
        value = os.environ.get("HJULET_INTERNAL_CONTROL_NOTICE_DAYS", 14)
    return int(value)


def open_dates(queryset=None):
    """Reporting dates of approved plans without a result."""
    queryset = ReportingDate.objects.all() if queryset is None else queryset
    return queryset.filter(control_point__plan__status=Status.APPROVED, result__isnull=True)


def overdue_dates(user, *, mine=False, today=None):
    """The open reporting dates before today that the person sees (`mine`: theirs only)."""
    today = today or timezone.localdate()
    rows = open_dates(ReportingDate.objects.visible_to(user)).filter(due_on__lt=today)
    if mine:
        rows = rows.filter(control_point__responsible=user)
    return rows


def near_dates(user, now):
    """The person's open reporting dates up to the notice horizon (overdue ones included)."""
    horizon = timezone.localtime(now).date() + timedelta(days=notice_days())
    return open_dates(ReportingDate.objects.visible_to(user)).filter(
        control_point__responsible=user, due_on__lte=horizon
    )
