"""Mina uppgifter (notifications/inbox.py): the risk analyses the person is responsible for
that are being worked on, or whose review date is near or past.

Registered from RisksConfig.ready(), after the actions (order 40).
"""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.inbox import LIMIT, Item, Section, register_section
from risks.models import OPEN_STATUSES, RiskAnalysis, Status
from risks.reminders import notice_days


def risk_section(user, now):
    today = timezone.localtime(now).date()
    horizon = today + timedelta(days=notice_days())
    rows = (
        RiskAnalysis.objects.visible_to(user)
        .filter(responsible=user)
        .filter(
            Q(status__in=OPEN_STATUSES)
            | Q(status=Status.DECIDED, review_on__isnull=False, review_on__lte=horizon)
        )
        .select_related("unit")
        .order_by("review_on", "pk")[: LIMIT + 1]
    )
    items = []
    for analysis in rows[:LIMIT]:
        review = analysis.status == Status.DECIDED
        overdue = analysis.is_overdue(today)
        items.append(
            Item(
                what=_("Review the risk analysis") if review else _("Complete the risk analysis"),
                url=analysis.get_absolute_url(),
                case=analysis.title,
                due=analysis.review_on if review else None,
                overdue=overdue,
                badges=[(_("Overdue"), "bad")] if overdue else [],
                detail=analysis.unit.name,
            )
        )
    if not items:
        return None
    items.sort(key=lambda item: item.sort_key)
    return Section(
        "risks",
        _("Your risk analyses"),
        items,
        more_url=reverse("risks:register") + "?mine=1",
    )


register_section("risks", risk_section, order=45)
