"""Mina uppgifter (notifications/inbox.py): the actions the person owns.

Registered from ActionsConfig.ready(), after the deviations' sections (deviations/inbox.py).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Action, Status
from notifications.inbox import Item, Section, register_section


def action_section(user, now):
    actions = (
        Action.objects.visible_to(user)
        .filter(owner=user)
        .exclude(status__in=[Status.CANCELLED, Status.EFFECT_CHECKED])
        .select_related("unit")
        .order_by("due_date", "pk")
    )
    today = timezone.localtime(now).date()
    items = []
    for action in actions:
        effect_check = action.status == Status.DONE
        due = action.planned_effect_check_date if effect_check else action.due_date
        overdue = action.is_overdue(today)
        badges = [(_("Overdue"), "bad")] if overdue else []
        items.append(
            Item(
                what=_("Check the effect") if effect_check else _("Carry out the action"),
                url=action.get_absolute_url(),
                case=action.title,
                due=due,
                overdue=overdue,
                badges=badges,
                detail=action.unit.name,
            )
        )
    items.sort(key=lambda item: item.sort_key)
    if not items:
        return None
    return Section(
        "actions",
        _("Your actions"),
        items,
        more_url=reverse("actions:list") + "?mine=on",
    )


register_section("actions", action_section, order=40)
