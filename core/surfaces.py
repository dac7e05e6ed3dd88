"""What the shared pages show of each app: the main menu's entries and the start page's cards.

Core knows no app: each app registers its own entries from its AppConfig.ready(), and the shell
(`shell.navigation`, `shell.start`) reads them. An entry names the permission key that shows it
(None: everyone who is logged in) and an order; the menu and the start page list the entries
by that order.

    menu_entry("deviations:list", _("Deviations"), "deviations.view", ("deviations:",),
               group="deviations", order=50)
    start_card("deviations.view", "deviations:list", _("Deviations"), _("Classify, ..."),
               order=120)

Registering the same url name (a card: the same url name and query) again replaces the entry.
"""

from collections.abc import Callable
from dataclasses import dataclass

# The menu's groups, in the order they are shown. Recorded on every entry; the menu is flat
# today.
MENU_GROUPS = ("start", "report", "deviations", "routines", "follow_up", "administration")


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: str
    key: str | None
    prefixes: tuple  # view-name prefixes that mark the entry as the current one
    group: str
    order: int


@dataclass(frozen=True)
class StartCard:
    key: str | None
    url_name: str
    title: str
    text: str
    order: int
    query: str = ""  # added to the address after "?"
    show: Callable | None = None  # show(user) -> bool, asked after the key


_MENU = {}
_CARDS = {}


def menu_entry(url_name, label, key, prefixes=(), *, group, order):
    """Add an entry to the main menu, shown to holders of `key` (everyone when None)."""
    if group not in MENU_GROUPS:
        raise ValueError(f"Unknown menu group {group!r}; one of {MENU_GROUPS}.")
    _MENU[url_name] = MenuEntry(url_name, label, key, tuple(prefixes) or (url_name,), group, order)


def start_card(key, url_name, title, text, *, order, query="", show=None):
    """Add a card to the start page, shown to holders of `key` (everyone when None) for whom
    `show(user)`, when given, is true."""
    _CARDS[(url_name, query)] = StartCard(key, url_name, title, text, order, query, show)


def menu_entries():
    return sorted(_MENU.values(), key=lambda e: e.order)


def start_cards():
    return sorted(_CARDS.values(), key=lambda c: c.order)
