"""The main menu: the apps' entries (`core.surfaces.menu_entry`, registered from their ready()),
each naming the permission key that shows it and the views it covers."""

from accounts.scoping import held_keys
from core.surfaces import menu_entries


def menu_for(user, current=""):
    """The entries the person may use; the one whose prefix matches `current` best is current."""
    keys = held_keys(user)
    entries = [e for e in menu_entries() if e.key is None or e.key in keys]
    best = max(
        ((len(p), e.url_name) for e in entries for p in e.prefixes if current.startswith(p)),
        default=(0, None),
    )[1]
    return [(e.url_name, e.label, e.url_name == best) for e in entries]
