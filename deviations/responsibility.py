"""Who answers for a clock, and who hears about it when it runs late.

A clock on a track belongs to the track's investigators, if it has any. Otherwise it belongs to
the people who may take the step that stops it, nearest the unit first: the holders of the key
the step needs (`deviations.triage` for a report's classification clock, `deviations.notify` for
clocks that end when an authority or the people concerned are told, `deviations.investigate`
for the others) whose role assignment covers the unit, at the unit itself or at the nearest
level above it that has such holders: a unit manager before the department manager. On a
restricted track (lex Sarah, lex Maria) only the people who may read the track count
(the same rule as `Track.objects.readable_by`).

When a clock is overdue it escalates to the holders of the same key at the next level up above
the responsible people's level, or further up when that level has none.

`Resolver` answers for many clocks in a fixed number of queries (the inbox, deviations/inbox.py,
and the reminder run, deviations/clock_reminders.py, use it); `responsibility_for(clock)` is the
one-clock shortcut.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from accounts.models import RoleAssignment, User
from deviations.models import Track
from legal.rules import ClockEnd, TrackRule
from organisation.models import OrgNode

TRIAGE = "deviations.triage"
INVESTIGATE = "deviations.investigate"
NOTIFY = "deviations.notify"
VIEW = "deviations.view"
STEP_KEYS = (TRIAGE, INVESTIGATE, NOTIFY)
NOTIFY_ENDS = (ClockEnd.NOTIFIED, ClockEnd.PEOPLE_INFORMED)


def key_for(clock):
    """The permission key of the step that stops the clock."""
    if clock.track_id is None:
        return TRIAGE
    if clock.rule.ends in NOTIFY_ENDS:
        return NOTIFY
    return INVESTIGATE


def _by_name(users):
    return tuple(
        sorted(users, key=lambda u: (u.last_name.lower(), u.first_name.lower(), u.username))
    )


@dataclass(frozen=True)
class Responsibility:
    key: str
    people: tuple = ()
    # The level the people were found at; None when they are the track's investigators.
    level: object = None
    by_investigators: bool = False
    escalation: tuple = ()
    escalation_level: object = None
    _ids: frozenset = field(default=frozenset(), repr=False)
    _escalation_ids: frozenset = field(default=frozenset(), repr=False)

    def is_responsible(self, user):
        return user.pk in self._ids

    def escalates_to(self, user):
        return user.pk in self._escalation_ids


class Resolver:
    """Responsibility for a batch of clocks, read with a fixed number of queries.

    The clocks need `deviation__unit`, `rule` and `track` loaded (select_related).
    """

    def __init__(self, clocks):
        self.clocks = list(clocks)
        units = {c.deviation.unit_id: c.deviation.unit for c in self.clocks}
        node_ids = {i for unit in units.values() for i in unit.ancestor_ids()}
        self._nodes = {}
        # (node_id, key) → {user_id: covers the units below}
        self._holders = defaultdict(dict)
        # restricted kind → reader role ids
        self._restricted = {}
        # node_id → {user_id: [(role_id, covers the units below)]}
        self._reader_rows = defaultdict(lambda: defaultdict(list))
        self._investigators = defaultdict(list)
        self._users = {}
        if not self.clocks:
            return
        self._nodes = OrgNode.objects.in_bulk(node_ids)
        rows = (
            RoleAssignment.objects.active()
            .filter(
                node_id__in=node_ids,
                node__is_active=True,
                user__is_active=True,
                role__permissions__key__in=(*STEP_KEYS, VIEW),
            )
            .values_list("user_id", "node_id", "include_subtree", "role__permissions__key")
        )
        for user_id, node_id, subtree, key in rows:
            held = self._holders[(node_id, key)]
            held[user_id] = held.get(user_id, False) or subtree
        for rule in (
            TrackRule.objects.in_force().filter(restricted=True).prefetch_related("reader_roles")
        ):
            self._restricted[rule.kind] = {r.pk for r in rule.reader_roles.all()}
        reader_roles = set().union(*self._restricted.values()) if self._restricted else set()
        if reader_roles:
            for user_id, node_id, subtree, role_id in (
                RoleAssignment.objects.active()
                .filter(
                    node_id__in=node_ids,
                    node__is_active=True,
                    user__is_active=True,
                    role_id__in=reader_roles,
                )
                .values_list("user_id", "node_id", "include_subtree", "role_id")
            ):
                self._reader_rows[node_id][user_id].append((role_id, subtree))
        track_ids = {c.track_id for c in self.clocks if c.track_id}
        through = Track.investigators.through
        for row in through.objects.filter(track_id__in=track_ids, user__is_active=True).values(
            "track_id", "user_id"
        ):
            self._investigators[row["track_id"]].append(row["user_id"])
        user_ids = {u for held in self._holders.values() for u in held}
        user_ids |= {u for ids in self._investigators.values() for u in ids}
        self._users = User.objects.in_bulk(user_ids)

    # -- the rules, in memory --------------------------------------------------------------

    @staticmethod
    def _levels(unit):
        """The unit and its ancestors, nearest first."""
        return list(reversed(unit.ancestor_ids()))

    def _covering(self, node_id, key, unit):
        return {
            user_id
            for user_id, subtree in self._holders.get((node_id, key), {}).items()
            if subtree or node_id == unit.pk
        }

    def _sees(self, user_id, unit):
        """Holds deviations.view over the unit: the case is visible to the person."""
        return any(
            user_id in self._covering(node_id, VIEW, unit) for node_id in unit.ancestor_ids()
        )

    def _reads(self, user_id, clock):
        """May read the clock's case, and its track where the track is restricted."""
        unit = clock.deviation.unit
        if not self._sees(user_id, unit):
            return False
        track = clock.track
        if track is None or track.kind not in self._restricted:
            return True
        if user_id in self._investigators.get(track.pk, ()):
            return True
        roles = self._restricted[track.kind]
        return any(
            role_id in roles and (subtree or node_id == unit.pk)
            for node_id in unit.ancestor_ids()
            for role_id, subtree in self._reader_rows.get(node_id, {}).get(user_id, ())
        )

    def _eligible(self, node_id, key, clock):
        unit = clock.deviation.unit
        return {u for u in self._covering(node_id, key, unit) if self._reads(u, clock)}

    def resolve(self, clock):
        key = key_for(clock)
        levels = self._levels(clock.deviation.unit)
        investigators = [
            u for u in self._investigators.get(clock.track_id, ()) if self._reads(u, clock)
        ]
        people, level, start = set(), None, None
        if investigators:
            people = set(investigators)
            # Escalate above the nearest level where an investigator holds the key themself;
            # an investigator without it (a staff member) escalates to the nearest holders.
            start = 0
            for i, node_id in enumerate(levels):
                if people & self._eligible(node_id, key, clock):
                    start = i + 1
                    break
        else:
            for i, node_id in enumerate(levels):
                found = self._eligible(node_id, key, clock)
                if found:
                    people, level, start = found, self._nodes.get(node_id), i + 1
                    break
        escalation, escalation_level = set(), None
        if start is not None:
            for node_id in levels[start:]:
                found = self._eligible(node_id, key, clock) - people
                if found:
                    escalation, escalation_level = found, self._nodes.get(node_id)
                    break
        return Responsibility(
            key=key,
            people=_by_name(self._users[u] for u in people if u in self._users),
            level=level,
            by_investigators=bool(investigators),
            escalation=_by_name(self._users[u] for u in escalation if u in self._users),
            escalation_level=escalation_level,
            _ids=frozenset(people),
            _escalation_ids=frozenset(escalation),
        )


def responsibility_for(clock):
    """Who answers for one clock, and who hears of it when it is overdue."""
    return Resolver([clock]).resolve(clock)
