"""The start page: what each person can do first, by the keys their roles hold.

The cards are the apps' own (`core.surfaces.start_card`, registered from their ready())."""

from django.urls import reverse

from accounts.scoping import held_keys
from core.surfaces import start_cards


def start_sections(user, assignments):
    keys = held_keys(user)
    return [
        {
            "url": reverse(card.url_name) + (f"?{card.query}" if card.query else ""),
            "title": card.title,
            "text": card.text,
        }
        for card in start_cards()
        if (card.key is None or card.key in keys) and (card.show is None or card.show(user))
    ]
