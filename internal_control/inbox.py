"""Mina uppgifter (notifications/inbox.py): the reporting dates of the control points the person
is responsible for, from the notice period before the date on, until the result is recorded.

Registered from InternalControlConfig.ready(), after the risk analyses (order 45).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from internal_control.due import near_dates
from notifications.inbox import LIMIT, Item, Section, register_section


def control_section(user, now):
    today = timezone.localtime(now).date()
    rows = list(
        near_dates(user, now)
        .select_related("control_point__plan__board")
        .order_by("due_on", "pk")[: LIMIT + 1]
    )
    if not rows:
        return None
    items = []
    for row in rows[:LIMIT]:
        overdue = row.due_on < today
        point = row.control_point
        items.append(
            Item(
                what=_("Report the result of the control point"),
                url=reverse("internal_control:result", args=[row.pk]),
                case=point.what,
                due=row.due_on,
                overdue=overdue,
                badges=[(_("Overdue"), "bad")] if overdue else [],
                detail=str(point.plan),
            )
        )
    return Section(
        "internal_control",
        _("Your control points in the internal control plan"),
        items,
        more_url=reverse("internal_control:overdue") + "?mine=1",
        more_count=max(len(rows) - LIMIT, 0),
    )


register_section("internal_control", control_section, order=47)
