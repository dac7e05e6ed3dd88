"""What the shared pages show of each app: the main menu's entries, the start page's figures
and its cards.

Core knows no app: each app registers its own entries from its AppConfig.ready(), and the shell
(`shell.navigation`, `shell.start`) reads them. An entry names the permission key that shows it
(None: everyone who is logged in) and an order; the menu and the start page list the entries
by that order.

    menu_entry("deviations:list", _("Deviations"), "deviations.view", ("deviations:",),
               group="deviations", order=50)
    start_figure("deviations.to_classify", "deviations.triage", _("Reports to classify"),
                 count, "deviations:list", query="status=reported", group="deviations",
                 order=20, tone="waiting")
    start_card("deviations.view", "deviations:list", _("Deviations"), _("Classify, ..."),
               order=120)

A start figure is a number that needs the person (overdue, waiting, to acknowledge), each a
link to the list filtered to exactly what it counts: `count(user)` returns that list's number
of rows and reads a fixed number of queries whatever the number of rows.

Registering the same url name (a card: the same url name and query; a figure: the same name)
again replaces the entry.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

# The menu's groups, in the order they are shown, with their headings. The start page groups
# its figures under the same headings.
MENU_GROUP_LABELS = {
    "start": pgettext_lazy("menu group", "Start"),
    "report": pgettext_lazy("menu group", "Report"),
    "deviations": pgettext_lazy("menu group", "Deviations"),
    "routines": pgettext_lazy("menu group", "Routines and processes"),
    "follow_up": pgettext_lazy("menu group", "Follow-up"),
    "administration": pgettext_lazy("menu group", "Administration"),
}
MENU_GROUPS = tuple(MENU_GROUP_LABELS)

# How a figure reads: past its date, waiting for the person, theirs to do, or a key figure.
FIGURE_TONES = ("overdue", "waiting", "todo", "info")


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


@dataclass(frozen=True)
class StartFigure:
    name: str
    keys: tuple  # every one of them needed (empty: everyone logged in)
    label: str
    count: Callable  # count(user) -> int, the rows of the linked list (None: not shown)
    url_name: str
    group: str
    order: int
    tone: str = "todo"
    query: str = ""  # added to the address after "?"
    fragment: str = ""  # added after "#"
    show: Callable | None = None  # show(user) -> bool, asked after the keys
    # Not shown at 0: True, or hide_zero(user) -> bool (a list only for those with rows).
    hide_zero: bool | Callable = False


_MENU = {}
_CARDS = {}
_FIGURES = {}


def menu_entry(url_name, label, key, prefixes=(), *, group, order):
    """Add an entry to the main menu, shown to holders of `key` (everyone when None)."""
    if group not in MENU_GROUPS:
        raise ValueError(f"Unknown menu group {group!r}; one of {MENU_GROUPS}.")
    _MENU[url_name] = MenuEntry(url_name, label, key, tuple(prefixes) or (url_name,), group, order)


def start_card(key, url_name, title, text, *, order, query="", show=None):
    """Add a card to the start page, shown to holders of `key` (everyone when None) for whom
    `show(user)`, when given, is true."""
    _CARDS[(url_name, query)] = StartCard(key, url_name, title, text, order, query, show)


def start_figure(
    name,
    key,
    label,
    count,
    url_name,
    *,
    group,
    order,
    tone="todo",
    query="",
    fragment="",
    show=None,
    hide_zero=False,
):
    """Add a figure to the start page, shown to holders of `key` (a key, a tuple of keys all
    needed, or None for everyone) for whom `show(user)`, when given, is true."""
    if group not in MENU_GROUPS:
        raise ValueError(f"Unknown group {group!r}; one of {MENU_GROUPS}.")
    if tone not in FIGURE_TONES:
        raise ValueError(f"Unknown tone {tone!r}; one of {FIGURE_TONES}.")
    keys = () if key is None else (key,) if isinstance(key, str) else tuple(key)
    _FIGURES[name] = StartFigure(
        name, keys, label, count, url_name, group, order, tone, query, fragment, show, hide_zero
    )


def menu_entries():
    return sorted(_MENU.values(), key=lambda e: e.order)


def start_cards():
    return sorted(_CARDS.values(), key=lambda c: c.order)


def start_figures():
    return sorted(_FIGURES.values(), key=lambda f: f.order)


def shared_count(user, name, compute):
    """compute(user), read once while one start page is built, for figures that share one
    reading (the deadlines and how many of them have passed); read afresh outside it."""
    memo = user.__dict__.get("_hjulet_figure_memo")
    if memo is None:
        return compute(user)
    if name not in memo:
        memo[name] = compute(user)
    return memo[name]


class figure_round:
    """`with figure_round(user):` the start page's figures share their readings."""

    def __init__(self, user):
        self.user = user

    def __enter__(self):
        self.user.__dict__["_hjulet_figure_memo"] = {}
        return self.user

    def __exit__(self, *exc):
        self.user.__dict__.pop("_hjulet_figure_memo", None)
        return False
