"""Mina uppgifter (notifications/inbox.py): the open feedback of the units where the person
handles it, the nearest target first, within the inbox's fixed number of queries."""

from django.urls import reverse
from django.utils.translation import gettext as _

from feedback.models import HANDLE, OPEN, Feedback, Status
from notifications.inbox import LIMIT, Item, Section, register_section


def _next_step(feedback):
    if feedback.status == Status.RECEIVED:
        return _("Confirm the receipt"), feedback.acknowledge_due
    if feedback.status == Status.ACKNOWLEDGED and feedback.wants_answer:
        return _("Answer"), feedback.answer_due
    return _("Close"), None


def feedback_section(user, now):
    rows = (
        Feedback.objects.visible_to(user, HANDLE)
        .filter(status__in=OPEN)
        .exclude(status=Status.ANSWERED)
        .select_related("unit")
        .order_by("received_at", "pk")
    )
    found = list(rows[: LIMIT + 1])
    if not found:
        return None
    items = []
    for feedback in found[:LIMIT]:
        what, due = _next_step(feedback)
        overdue = due is not None and due < now
        items.append(
            Item(
                what=what,
                url=feedback.get_absolute_url(),
                case=f"{feedback.reference} · {feedback.get_kind_display()}",
                due=due,
                overdue=overdue,
                badges=[(_("Overdue"), "bad")] if overdue else [],
                detail=feedback.unit.name,
            )
        )
    items.sort(key=lambda item: item.sort_key)
    return Section(
        "feedback",
        _("Complaints and opinions to handle"),
        items,
        more_url=reverse("feedback:list"),
        more_count=len(found) - LIMIT if len(found) > LIMIT else 0,
    )


register_section("feedback", feedback_section, order=35)
