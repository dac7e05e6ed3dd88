"""Who is asked to acknowledge a generated routine: the rules of routines.acknowledgments
(in_scope) applied to the assignments loaded once, not one query per routine."""

from accounts.models import RoleAssignment
from routines.acknowledgments import _counts
from routines.models import VIEW


class Scope:
    """The active assignments that bring people into a routine's scope, with the filters of
    routines.acknowledgments._assignments_in, grouped by every node at or above them."""

    def __init__(self, root):
        rows = (
            RoleAssignment.objects.active()
            .filter(
                user__is_active=True,
                node__is_active=True,
                role__permissions__key=VIEW,
                node__path__startswith=root.path,
            )
            .values_list("user_id", "role_id", "node_id", "node__path", "include_subtree")
            .distinct()
        )
        self.below = {}  # path → assignments at or below the node
        self.subtree_at = {}  # path → subtree assignments at the node
        people = set()
        for user_id, role_id, node_id, path, subtree in rows:
            row = (user_id, role_id, node_id, path)
            people.add(user_id)
            for prefix in prefixes(path):
                self.below.setdefault(prefix, []).append(row)
            if subtree:
                self.subtree_at.setdefault(path, []).append(row)
        self.people = people

    def in_scope(self, path, role_ids):
        """{user_id: unit_id}: routines.acknowledgments.in_scope on the loaded assignments."""
        candidates = list(self.below.get(path, ()))
        for prefix in prefixes(path)[:-1]:
            candidates.extend(self.subtree_at.get(prefix, ()))
        chosen = {}
        for user_id, role_id, node_id, node_path in candidates:
            if not _counts(path, role_ids, role_id, node_path):
                continue
            distance = abs(len(node_path) - len(path))
            best = chosen.get(user_id)
            if best is None or distance < best[0] or (distance == best[0] and node_id < best[1]):
                chosen[user_id] = (distance, node_id)
        return {user_id: node_id for user_id, (_d, node_id) in chosen.items()}


def segments(path):
    return [seg for seg in path.rstrip("/").split("/") if seg]


def prefixes(path):
    """The paths of the node and of every node above it, top first."""
    parts = segments(path)
    return ["".join(f"{seg}/" for seg in parts[: i + 1]) for i in range(len(parts))]
