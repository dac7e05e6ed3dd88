"""Small cells: figures about restricted cases are not shown to people who may not read them.

A count of lex Sarah or lex Maria cases, their seriousness, outcome or notification, narrowed to
one unit and a short period, can point at one case ("1 of 1 judged serious"). For a person who
does not hold a reader role of the track (the rule table, legal.TrackRule.reader_roles) over
every unit of the statistics' scope, each such figure from 1 up to the threshold is shown as
"fewer than 5" (primary suppression). Where the hidden figure could then be worked out from the
others (a row's total minus the shown parts) one more figure of the same sum is hidden too,
shown as "hidden" (secondary suppression), until no sum has a single unknown.

Restricted figures are: the rows of the restricted tracks (counts, shares, seriousness, states,
closing, notification), their column in the months table, and the causes when closed restricted
investigations are among those counted. The kinds of event count every report, whatever its
tracks. With a restricted track chosen as filter every figure of the page is one of those
cases, so all of them are.

The threshold is data: analysis/data/disclosure.json, or the setting
HJULET_SMALL_CELL_THRESHOLD. Readers of the track see the true numbers.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data" / "disclosure.json"
KIND_CELLS = (
    "count",
    "serious_yes",
    "serious_no",
    "not_judged",
    "open",
    "investigating",
    "decided",
    "closed",
    "closed_with_action",
    "closed_no_action_reason",
    "notified",
    "not_notified",
)
KIND_PROPERTIES = {"not_judged", "closed_no_action_reason"}
TOTAL_FIELDS = ("reports", "unclassified", "not_deviation")
TOTAL_PROPERTIES = ("classified", "deviations", "tracks", "causes_base")


@cache
def _data_threshold():
    return int(json.loads(DATA.read_text(encoding="utf-8"))["small_cell_threshold"])


def threshold():
    value = getattr(settings, "HJULET_SMALL_CELL_THRESHOLD", None)
    return int(value) if value is not None else _data_threshold()


class Hidden:
    """A figure not shown: reads "fewer than 5", or "hidden" where it was hidden only so that
    another could not be worked out."""

    def __init__(self, limit, secondary=False):
        self.limit = limit
        self.secondary = secondary

    def __str__(self):
        if self.secondary:
            return _("hidden")
        return _("fewer than %(limit)s") % {"limit": self.limit}

    def __bool__(self):
        return True


def is_hidden(value):
    return isinstance(value, Hidden)


def number(value):
    """The figure for drawing (a hidden one draws no bar)."""
    return 0 if is_hidden(value) else value


def hidden_kinds(user, nodes):
    """The restricted tracks whose cases the person may not read in every one of `nodes`."""
    from accounts.models import RoleAssignment
    from legal.rules import TrackRule

    roles = {}
    for kind, role_id in (
        TrackRule.objects.in_force().filter(restricted=True).values_list("kind", "reader_roles")
    ):
        roles.setdefault(kind, set())
        if role_id is not None:
            roles[kind].add(role_id)
    if not roles or not nodes:
        return set()
    held = []
    if user is not None and user.is_authenticated:
        held = list(
            RoleAssignment.objects.active()
            .filter(user=user, node__is_active=True, role_id__in=set().union(*roles.values()))
            .values_list("role_id", "node_id", "node__path", "include_subtree")
        )

    def covered(node, role_ids):
        return any(
            role_id in role_ids and (node.pk == node_id or (subtree and node.path.startswith(path)))
            for role_id, node_id, path, subtree in held
        )

    return {
        kind for kind, role_ids in roles.items() if not all(covered(n, role_ids) for n in nodes)
    }


def _unit_groups(units):
    """(subtree of a unit, [its own, the subtrees of the units right below it])."""
    groups = []
    for i, unit in enumerate(units):
        members = [("u", i, "own")]
        for j in range(i + 1, len(units)):
            if units[j].level <= unit.level:
                break
            if units[j].level == unit.level + 1:
                members.append(("u", j, "subtree"))
        groups.append((("u", i, "subtree"), members))
    return groups


def _cells(result, units=True):
    cells = {("t", name): getattr(result, name) for name in TOTAL_FIELDS + TOTAL_PROPERTIES}
    for k in result.kinds:
        for name in KIND_CELLS:
            cells[("k", k.kind, name)] = getattr(k, name)
    for i, m in enumerate(result.months):
        cells[("m", i, "reports")] = m.reports
        cells[("m", i, "not_deviation")] = m.not_deviation
        for k in result.kinds:
            cells[("m", i, k.kind)] = m.kinds.get(k.kind, 0)
    if units:
        for i, u in enumerate(result.units):
            cells[("u", i, "own")] = u.own
            cells[("u", i, "subtree")] = u.subtree
    for i, c in enumerate(result.causes):
        cells[("c", i)] = c.count
    for i, c in enumerate(result.categories):
        cells[("g", i)] = c.count
    return cells


def _groups(result, units=True):
    """The sums shown on the page: (total, parts)."""
    kinds = [k.kind for k in result.kinds]
    months = range(len(result.months))
    groups = [
        (("t", "reports"), [("t", "unclassified"), ("t", "classified")]),
        (("t", "classified"), [("t", "not_deviation"), ("t", "deviations")]),
        (("t", "tracks"), [("k", kind, "count") for kind in kinds]),
        (("t", "causes_base"), [("k", kind, "closed") for kind in kinds]),
        (("t", "reports"), [("m", i, "reports") for i in months]),
        (("t", "not_deviation"), [("m", i, "not_deviation") for i in months]),
    ]
    for kind in kinds:
        count = ("k", kind, "count")
        parts = ("serious_yes", "serious_no", "not_judged")
        groups.append((count, [("k", kind, name) for name in parts]))
        parts = ("open", "investigating", "decided", "closed")
        groups.append((count, [("k", kind, name) for name in parts]))
        parts = ("closed_with_action", "closed_no_action_reason")
        groups.append((("k", kind, "closed"), [("k", kind, name) for name in parts]))
        groups.append((count, [("m", i, kind) for i in months]))
    if result.categories:
        # Every report has one kind of event or none ("not stated", the last row).
        groups.append((("t", "reports"), [("g", i) for i in range(len(result.categories))]))
    if units:
        groups.extend(_unit_groups(result.units))
        tops = [("u", i, "subtree") for i, u in enumerate(result.units) if u.level == 0]
        if len(tops) == 1:
            groups.append((("t", "reports"), tops))
    return groups


def _restricted(result, kinds, cells):
    if result.kind_filter and result.kind_filter in kinds:
        return set(cells)
    keys = {key for key in cells if key[0] == "k" and key[1] in kinds}
    keys.update(key for key in cells if key[0] == "m" and key[2] in kinds)
    if any(result.kind(kind).closed for kind in kinds if kind in {k.kind for k in result.kinds}):
        keys.update(key for key in cells if key[0] == "c")
    return keys


# Sums shown only in a sentence: hiding them loses least, so they go first.
FREE = {("t", "tracks"), ("t", "causes_base")}


def suppress(cells, restricted, groups, limit, free=frozenset(), whole=()):
    """{key: secondary?} of the cells to hide: the small restricted ones and every cell of
    `whole` (the rows of a small total, zeros too), then one more in every sum that would
    otherwise have a single unknown: a `free` cell if there is one, else another restricted
    one, else the smallest."""
    hidden = {key: False for key in restricted if 0 < cells[key] < limit}
    hidden.update(dict.fromkeys(whole, False))

    def cost(key):
        return (0 if key in free else 1 if key in restricted else 2, cells[key])

    changed = bool(hidden)
    while changed:
        changed = False
        for total, parts in groups:
            keys = [total, *parts]
            if sum(1 for key in keys if key in hidden) != 1:
                continue
            candidates = [key for key in keys if key not in hidden and cells[key]]
            if candidates:
                hidden[min(candidates, key=cost)] = True
                changed = True
    return hidden


def protect(result, kinds, limit=None):
    """Hide the small cells of restricted figures in `result` (analysis.stats.Statistics) for
    a person who may not read the tracks `kinds`; returns whether anything was hidden."""
    if not kinds:
        return False
    limit = threshold() if limit is None else limit
    # The units' counts are hidden only with a restricted track chosen: otherwise no sum joins
    # them to a restricted figure (the hiding spreads through the tracks, their months and
    # outcomes only), and a large municipality's hundreds of units need not be gone through.
    units = bool(result.kind_filter) and result.kind_filter in kinds
    cells = _cells(result, units)
    restricted = _restricted(result, kinds, cells)
    # A track with few cases: all its figures are hidden, its zeros too ("none serious").
    small = {
        key[1]
        for key in restricted
        if key[0] == "k" and key[2] == "count" and 0 < cells[key] < limit
    }
    whole = [key for key in cells if key[0] == "k" and key[1] in small]
    whole += [key for key in cells if key[0] == "m" and key[2] in small]
    hidden = suppress(cells, restricted, _groups(result, units), limit, FREE, whole)
    if not hidden:
        return False
    _write(result, hidden, limit, cells)
    return True


def _write(result, hidden, limit, cells):
    def mark(key):
        return Hidden(limit, secondary=hidden[key])

    result.suppressed = True
    result.suppression_limit = limit
    # The sums are kept as they were: once a part is hidden they cannot be added up again.
    for name in TOTAL_PROPERTIES:
        result.masked[name] = cells[("t", name)]
    result.masked["not_deviation_share"] = result.not_deviation_share
    for k in result.kinds:
        for name in KIND_PROPERTIES:
            k.masked[name] = cells[("k", k.kind, name)]
        k.masked["notified_share"] = k.notified_share
    for name in TOTAL_FIELDS + TOTAL_PROPERTIES:
        key = ("t", name)
        if key in hidden:
            if name in TOTAL_PROPERTIES:
                result.masked[name] = mark(key)
            else:
                setattr(result, name, mark(key))
    hide_deviations = ("t", "deviations") in hidden
    for k in result.kinds:
        for name in KIND_CELLS:
            key = ("k", k.kind, name)
            if key in hidden:
                if name in KIND_PROPERTIES:
                    k.masked[name] = mark(key)
                else:
                    setattr(k, name, mark(key))
        if is_hidden(k.count) or hide_deviations:
            k.share = Hidden(limit, secondary=True)
        if is_hidden(k.count) or is_hidden(k.notified):
            k.masked["notified_share"] = Hidden(limit, secondary=True)
    if is_hidden(result.not_deviation) or ("t", "classified") in hidden:
        result.masked["not_deviation_share"] = Hidden(limit, secondary=True)
    for i, m in enumerate(result.months):
        for name in ("reports", "not_deviation"):
            if ("m", i, name) in hidden:
                setattr(m, name, mark(("m", i, name)))
        for k in result.kinds:
            if ("m", i, k.kind) in hidden:
                m.kinds[k.kind] = mark(("m", i, k.kind))
    for i, u in enumerate(result.units):
        for name in ("own", "subtree"):
            if ("u", i, name) in hidden:
                setattr(u, name, mark(("u", i, name)))
    base_hidden = ("t", "causes_base") in hidden
    for i, c in enumerate(result.causes):
        if ("c", i) in hidden:
            c.count = mark(("c", i))
        if ("c", i) in hidden or base_hidden:
            c.share = Hidden(limit, secondary=True)
    reports_hidden = ("t", "reports") in hidden
    for i, c in enumerate(result.categories):
        if ("g", i) in hidden:
            c.count = mark(("g", i))
        if ("g", i) in hidden or reports_hidden:
            c.share = Hidden(limit, secondary=True)
