"""The actions' entry in the main menu, and "My actions" on the start page."""

from django.utils.translation import gettext_lazy as _

from accounts.scoping import held_keys
from actions import figures
from actions.models import Action, Status
from core.chapters import PATIENT_SAFETY, report_chapter
from core.surfaces import menu_entry, start_card, start_figure

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

# The numbers that need the person, each a link to the list it counts (actions/figures.py).
# Anyone may own an action; without actions.view the list opens only to those who do.
start_figure(
    "actions.mine",
    None,
    _("Your open actions"),
    figures.mine,
    "actions:list",
    query=figures.MINE,
    group="follow_up",
    order=310,
    hide_zero=figures.without_the_list,
)
start_figure(
    "actions.mine_overdue",
    None,
    _("Your actions past their date"),
    figures.mine_overdue,
    "actions:list",
    query=figures.MINE_OVERDUE,
    group="follow_up",
    order=320,
    tone="overdue",
    hide_zero=True,
)
start_figure(
    "actions.overdue",
    "actions.view",
    _("Actions past their date in your units"),
    figures.overdue,
    "actions:list",
    query=figures.OVERDUE,
    group="follow_up",
    order=330,
    tone="overdue",
)

# The patient safety report's measures (PSL 3 kap 10 §).
report_chapter(
    "ps-10", "actions.report_chapter.health_care_actions", order=10, reports=(PATIENT_SAFETY,)
)
