"""The start page: what each person can do first, by the keys their roles hold."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import held_keys

CARDS = [
    (
        "deviations.report",
        "deviations:report",
        _("Report a deviation"),
        _("Something went wrong, or nearly did: report it here, also from your phone."),
    ),
    (
        "deviations.report",
        "deviations:mine",
        _("My reports"),
        _("Follow what happened to the deviations you reported."),
    ),
    (
        "deviations.view",
        "deviations:list",
        _("Deviations"),
        _("Classify, investigate and follow up the deviations of your units."),
    ),
    (
        "routines.view",
        "routines:mine",
        _("Routines for my unit"),
        _("Find, read and print the routines in force for your work, and acknowledge new ones."),
    ),
    (
        "legal.view",
        "legal:my_units",
        _("Laws that apply to my unit"),
        _("The laws and regulations your unit has stated apply to its work."),
    ),
    (
        "responsibility.view",
        "organisation:responsibility",
        _("Who does what in quality work"),
        _("The responsibility matrix: quality roles, the people who hold them and their duties."),
    ),
    (
        "organisation.view",
        "organisation:tree",
        _("Organisation"),
        _("Boards, administrations, departments, units and providers you can see."),
    ),
    (
        "legal.state_applicability",
        "legal:coverage",
        _("State applicable laws"),
        _("Which units have stated the laws that apply to them, and which have not."),
    ),
    (
        "accounts.view_users",
        "accounts:users",
        _("Users and roles"),
        _("Who holds which role where."),
    ),
    (
        "accounts.manage_roles",
        "accounts:roles",
        _("Roles and permissions"),
        _("Which permissions each role has."),
    ),
    (
        "audit.review_access_log",
        "audit:review",
        _("Log review"),
        _("Check who read sensitive records, and review samples of the reads."),
    ),
    (
        "audit.review_access_log",
        "audit:access_log",
        _("Access log"),
        _("Search reads of sensitive records by person and by record."),
    ),
    (
        "system.admin",
        "admin:index",
        _("System administration"),
        _("Technical administration of all records."),
    ),
]


def start_sections(user, assignments):
    keys = held_keys(user)
    cards = [
        {"url": reverse(name), "title": title, "text": text}
        for key, name, title, text in CARDS
        if key in keys
    ]
    # Everyone has an inbox: deadlines, reports to classify, investigations and actions.
    cards.insert(
        0,
        {
            "url": reverse("notifications:inbox"),
            "title": _("My tasks"),
            "text": _(
                "Deadlines, reports to classify, investigations and actions waiting for you."
            ),
        },
    )
    if "actions.view" not in keys and owns_open_actions(user):
        # Staff who own an action reach it from here: the menu entry is for managers.
        cards.insert(
            0,
            {
                "url": reverse("actions:list") + "?mine=on",
                "title": _("My actions"),
                "text": _("Actions you are responsible for."),
            },
        )
    return cards


def owns_open_actions(user):
    from actions.models import Action, Status

    return (
        Action.objects.filter(owner=user)
        .exclude(status__in=[Status.CANCELLED, Status.EFFECT_CHECKED])
        .exists()
    )
