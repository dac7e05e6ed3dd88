"""Where a report came from, when another module filed it (a complaint that revealed a
possible missförhållande opens a report: feedback/services/deviation.py). That module registers
a finder from its AppConfig.ready(); the case page shows what the finders return, each only
where the person may open it. Deviations import no module above them."""

from dataclasses import dataclass

_FINDERS = []


@dataclass(frozen=True)
class Origin:
    label: str  # "Klagomål SY-2026-000123"
    url: str  # empty: the person may not open it, and sees the label only


def register_origin(finder):
    """`finder(deviation, user)` returns the Origins of the report (an iterable)."""
    if finder not in _FINDERS:
        _FINDERS.append(finder)
    return finder


def origins(deviation, user):
    return [origin for finder in _FINDERS for origin in finder(deviation, user)]
