"""What keeps a unit from being closed: the open cases the domain apps hold at it.

The organisation is a low layer and imports no domain app. Each app registers, from its
AppConfig.ready(), a function that answers for one unit how many open cases of its kind the
unit holds and where they are listed, so they can be moved to another unit or finished.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode


@dataclass(frozen=True)
class OpenCases:
    count: int
    label: str  # translated, with the count: "2 open deviations"
    url: str  # where they are listed at the unit


_SOURCES = []


def register(source):
    """`source(node)` returns an OpenCases, or None when the unit holds none of its kind."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


_MOVERS = []


def register_mover(mover):
    """`mover(node, target, actor)` moves its app's open cases from `node` to `target`, inside
    the caller's transaction, and returns how many it moved."""
    if mover not in _MOVERS:
        _MOVERS.append(mover)
    return mover


def movers():
    return list(_MOVERS)


def open_cases(node):
    found = (source(node) for source in _SOURCES)
    return [cases for cases in found if cases is not None and cases.count]


def list_url(name, node):
    """The list `name` filtered on the unit (every register takes ?unit=<pk>)."""
    return f"{reverse(name)}?{urlencode({'unit': node.pk})}"
