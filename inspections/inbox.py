"""Mina uppgifter (notifications/inbox.py): the self-inspections the person is responsible for
that are overdue or due within 30 days. One query whatever the number of rows."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import Occasion
from inspections.models.plan import SOON_DAYS
from notifications.inbox import LIMIT, Item, Section, register_section


def occasions_section(user, now):
    today = timezone.localtime(now).date()
    rows = list(
        Occasion.objects.visible_to(user)
        .filter(
            item__responsible=user,
            done_on__isnull=True,
            due_date__lte=today + timedelta(days=SOON_DAYS),
        )
        .select_related("item__plan__unit", "item__template")
        .order_by("due_date", "pk")[: LIMIT + 1]
    )
    if not rows:
        return None
    items = []
    for occasion in rows[:LIMIT]:
        overdue = occasion.due_date < today
        items.append(
            Item(
                what=_("Carry out the self-inspection"),
                url=occasion.get_absolute_url(),
                case=occasion.item.subject,
                due=occasion.due_date,
                overdue=overdue,
                badges=[(_("Overdue"), "bad")] if overdue else [],
                detail=occasion.item.plan.unit.name,
            )
        )
    return Section(
        "inspections",
        _("Self-inspections to carry out"),
        items,
        more_url=reverse("inspections:due") + "?mine=on",
        more_count=max(len(rows) - LIMIT, 0),
    )


register_section("inspections", occasions_section, order=60)
