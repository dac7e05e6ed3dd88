"""The main menu: the apps' entries (`core.surfaces.menu_entry`, registered from their ready()),
each naming the permission key that shows it and the views it covers, shown in the groups of
`core.surfaces.MENU_GROUPS`. A person sees only the groups with at least one entry they may use.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from accounts.scoping import held_keys
from core.surfaces import MENU_GROUP_LABELS, menu_entries


def _entries(user, current):
    """[(entry, is current)] of the entries the person may use; the one whose prefix matches
    `current` (a view name) best is current."""
    keys = held_keys(user)
    entries = [e for e in menu_entries() if e.key is None or e.key in keys]
    best = max(
        ((len(p), e.url_name) for e in entries for p in e.prefixes if current.startswith(p)),
        default=(0, None),
    )[1]
    return [(e, e.url_name == best) for e in entries]


def menu_for(user, current=""):
    """The entries the person may use, as (url name, label, is current)."""
    return [(e.url_name, e.label, active) for e, active in _entries(user, current)]


@dataclass
class MenuGroup:
    key: str
    label: str
    items: list = field(default_factory=list)  # [{"url", "label", "active"}]

    @property
    def active(self):
        return any(item["active"] for item in self.items)

    @property
    def single(self):
        """A group of one entry is shown as a plain link with its entry's own name."""
        return len(self.items) == 1

    @property
    def open(self):
        """The start group's entries (the start page and My tasks) are always in view."""
        return self.key == "start"


def menu_groups_for(user, current=""):
    """(items, groups): the flat menu ({"url", "label", "active", "group"}) and the same items
    in their groups, in the order of MENU_GROUPS; groups without an item are left out."""
    items = [
        {"url": reverse(e.url_name), "label": e.label, "active": active, "group": e.group}
        for e, active in _entries(user, current)
    ]
    groups = {key: MenuGroup(key, label) for key, label in MENU_GROUP_LABELS.items()}
    for item in items:
        groups[item["group"]].items.append(item)
    return items, [group for group in groups.values() if group.items]
