"""The start page: the numbers that need the person, then where they can go.

The figures and the cards are the apps' own (`core.surfaces.start_figure`, `start_card`,
registered from their ready()). A figure is shown to the holders of its keys; its count is the
number of rows of the list it links to, which the app's count function reads in a fixed number
of queries. The figures are shown under the menu's group headings, in the menu's order.
"""

from dataclasses import dataclass

from django.urls import reverse

from accounts.scoping import held_keys
from core.surfaces import MENU_GROUP_LABELS, figure_round, start_cards, start_figures


@dataclass
class Figure:
    name: str
    label: str
    count: int
    url: str
    tone: str

    @property
    def needs_attention(self):
        return self.count > 0 and self.tone != "info"


@dataclass
class FigureGroup:
    key: str
    label: str
    figures: list


def _url(url_name, query="", fragment=""):
    return reverse(url_name) + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")


def _shown(entry, user):
    return entry.show is None or entry.show(user)


def figure_groups(user):
    """The figures the person may see, in their groups (groups without a figure left out)."""
    keys = held_keys(user)
    groups = {key: FigureGroup(key, label, []) for key, label in MENU_GROUP_LABELS.items()}
    with figure_round(user):
        for figure in start_figures():
            if not all(key in keys for key in figure.keys) or not _shown(figure, user):
                continue
            count = figure.count(user)
            if count is None or (count == 0 and _hidden_at_zero(figure, user)):
                continue
            _add(groups, figure, count)
    return [group for group in groups.values() if group.figures]


def _hidden_at_zero(figure, user):
    hide = figure.hide_zero
    return hide(user) if callable(hide) else bool(hide)


def _add(groups, figure, count):
    groups[figure.group].figures.append(
        Figure(
            figure.name,
            figure.label,
            count,
            _url(figure.url_name, figure.query, figure.fragment),
            figure.tone,
        )
    )


def start_sections(user, assignments=None):
    """The cards of "Go to": the pages the person may open, each with a line of what for."""
    keys = held_keys(user)
    return [
        {"url": _url(card.url_name, card.query), "title": card.title, "text": card.text}
        for card in start_cards()
        if (card.key is None or card.key in keys) and _shown(card, user)
    ]
