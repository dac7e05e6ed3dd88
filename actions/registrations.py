"""The actions' entry in the main menu, and "My actions" on the start page."""

from django.utils.translation import gettext_lazy as _

from accounts.scoping import held_keys
from actions.models import Action, Status
from core.surfaces import menu_entry, start_card

menu_entry(
    "actions:list", _("Actions"), "actions.view", ("actions:",), group="follow_up", order=110
)


def owns_open_actions(user):
    return (
        Action.objects.filter(owner=user)
        .exclude(status__in=[Status.CANCELLED, Status.EFFECT_CHECKED])
        .exists()
    )


def _owns_actions_without_the_list(user):
    # Staff who own an action reach it from here: the menu entry is for managers.
    return "actions.view" not in held_keys(user) and owns_open_actions(user)


start_card(
    None,
    "actions:list",
    _("My actions"),
    _("Actions you are responsible for."),
    order=10,
    query="mine=on",
    show=_owns_actions_without_the_list,
)
