"""The main menu: each entry names the permission key that shows it and the views it covers."""

from django.utils.translation import gettext_lazy as _

# (url name, label, key or None, view-name prefixes that mark the entry as current)
MENU = [
    ("core:start", _("Start"), None, ("core:",)),
    ("notifications:inbox", _("My tasks"), None, ("notifications:",)),
    (
        "deviations:report",
        _("Report a deviation"),
        "deviations.report",
        ("deviations:report", "deviations:received"),
    ),
    ("deviations:mine", _("My reports"), "deviations.report", ("deviations:mine",)),
    ("deviations:list", _("Deviations"), "deviations.view", ("deviations:",)),
    ("routines:mine", _("Routines for my unit"), "routines.view", ("routines:mine",)),
    ("routines:register", _("Routines"), "routines.draft", ("routines:",)),
    ("processes:register", _("Processes"), "processes.view", ("processes:",)),
    ("organisation:tree", _("Organisation"), "organisation.view", ("organisation:",)),
    (
        "organisation:responsibility",
        _("Responsibilities"),
        "responsibility.view",
        ("organisation:responsibility", "organisation:duties"),
    ),
    ("actions:list", _("Actions"), "actions.view", ("actions:",)),
    ("analysis:statistics", _("Statistics"), "analysis.view", ("analysis:",)),
    ("legal:register", _("Laws and regulations"), "legal.view", ("legal:",)),
    ("accounts:users", _("Users"), "accounts.view_users", ("accounts:user", "accounts:assign")),
    ("accounts:roles", _("Roles and permissions"), "accounts.manage_roles", ("accounts:role",)),
    ("audit:review", _("Log review"), "audit.review_access_log", ("audit:review",)),
    ("audit:access_log", _("Access log"), "audit.review_access_log", ("audit:access",)),
    ("retention:overview", _("Retention"), "retention.manage", ("retention:",)),
    ("privacy:search", _("Register extract"), "privacy.subject_access", ("privacy:",)),
]


def menu_for(user, current=""):
    """The entries the person may use; the one whose prefix matches `current` best is current."""
    from accounts.scoping import held_keys

    keys = held_keys(user)
    entries = [e for e in MENU if e[2] is None or e[2] in keys]
    best = max(
        (
            (len(p), name)
            for name, _l, _k, prefixes in entries
            for p in prefixes
            if current.startswith(p)
        ),
        default=(0, None),
    )[1]
    return [(name, label, name == best) for name, label, _k, _p in entries]
