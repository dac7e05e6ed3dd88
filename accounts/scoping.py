"""The one permission layer.

Every list, export, search, API and report filters with `Model.objects.visible_to(user)`;
every single-object view asks `can(user, key, obj)`. A grant is a role assignment's node, and
whether it covers the subtree; the org tree stores a materialised path so a subtree is a prefix.

The models build on this module (their querysets are ScopedQuerySets), so it does not import
them: a person's role assignments are read through the person (`user.assignments`).
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Grant:
    node_id: int
    path: str
    subtree: bool

    def covers(self, node):
        return node.pk == self.node_id or (self.subtree and node.path.startswith(self.path))


def _grants_by_key(user):
    # Cached on the user object, which lives for one request.
    cached = getattr(user, "_hjulet_grants", None)
    if cached is not None:
        return cached
    by_key = {}
    rows = (
        user.assignments.active()
        .filter(node__is_active=True)
        .values_list("node_id", "node__path", "include_subtree", "role__permissions__key")
    )
    for node_id, path, subtree, key in rows:
        if key:
            by_key.setdefault(key, set()).add(Grant(node_id, path, subtree))
    user._hjulet_grants = by_key
    return by_key


def forget_grants(user):
    user.__dict__.pop("_hjulet_grants", None)
    # What the person may not read is built from the same grants (accounts/need_to_know.py).
    user.__dict__.pop("_hjulet_unreadable", None)
    user.__dict__.pop("_hjulet_track_readers", None)


def grants(user, key):
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    return tuple(_grants_by_key(user).get(key, ()))


def holds(user, key):
    """Whether the person holds the key anywhere in the tree."""
    return bool(grants(user, key))


def held_keys(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(_grants_by_key(user))


def scope_node(obj):
    """The org node a record belongs to: its `get_scope_node()` (an org node returns itself),
    or None for records that belong to no node."""
    getter = getattr(obj, "get_scope_node", None)
    return getter() if getter else None


def can(user, key, obj=None):
    """May the person use `key` on `obj` (or anywhere, when obj is None or org-independent)?"""
    held = grants(user, key)
    if not held:
        return False
    node = scope_node(obj) if obj is not None else None
    if node is None:
        return True
    return any(g.covers(node) for g in held)


def scope_q(user, key, lookup):
    """A Q that keeps the rows whose org node lies within the person's grants for `key`.

    `lookup` is the path from the model to its OrgNode ("" for OrgNode itself, None for
    records that belong to no node: those are visible to anyone holding the key).
    """
    held = grants(user, key)
    if not held:
        return Q(pk__in=[])
    if lookup is None:
        return Q()
    prefix = f"{lookup}__" if lookup else ""
    subtree_paths = sorted({g.path for g in held if g.subtree})
    # Drop paths inside another granted subtree: fewer OR-terms for the planner.
    kept = []
    for path in subtree_paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    q = Q()
    for path in kept:
        q |= Q(**{f"{prefix}path__startswith": path})
    exact = [g.node_id for g in held if not any(g.path.startswith(k) for k in kept)]
    if exact:
        q |= Q(**{f"{prefix}pk__in": exact})
    return q


class ScopedQuerySet(models.QuerySet):
    """Models set `scope_lookup` (path to their OrgNode) and `view_permission`."""

    def visible_to(self, user, key=None):
        model = self.model
        return self.filter(scope_q(user, key or model.view_permission, model.scope_lookup))


def inherited_q(held, lookup):
    """Rows of the granted nodes and of every node above them (read from the paths)."""
    ids = set()
    for grant in held:
        ids.update(int(seg) for seg in grant.path.rstrip("/").split("/") if seg)
    return Q(**{f"{lookup}_id__in": sorted(ids)})


class InheritedScopeQuerySet(ScopedQuerySet):
    """For records that apply down the tree (a routine, a process): a person sees those of the
    nodes where they hold the key and of the levels above them, and everything within a
    subtree they hold the key for."""

    def visible_to(self, user, key=None):
        model = self.model
        key = key or model.view_permission
        held = grants(user, key)
        if not held:
            return self.none()
        return self.filter(
            inherited_q(held, model.scope_lookup) | scope_q(user, key, model.scope_lookup)
        )


def holds_at_root(user, key):
    """Whether the person holds the key over a whole tree (a root, subtree included)."""
    return any(g.subtree and g.path.count("/") == 1 for g in grants(user, key))


def role_grants(user, role_ids, lookup="deviation__unit"):
    """A Q over `lookup` for the nodes where the person holds one of these roles, or None."""
    if user is None or not user.is_authenticated or not role_ids:
        return None
    rows = (
        user.assignments.active()
        .filter(role_id__in=role_ids, node__is_active=True)
        .values_list("node_id", "node__path", "include_subtree")
    )
    q = None
    for node_id, path, subtree in rows:
        term = (
            Q(**{f"{lookup}__path__startswith": path})
            if subtree
            else Q(**{f"{lookup}__pk": node_id})
        )
        q = term if q is None else q | term
    return q


WHOLE_SUBTREE = "subtree"


def scope_signature(user, key, node):
    """What the person's grants for `key` let through of `node`'s subtree, as a value shared by
    everyone who sees the same (figures kept for one serve them all, core/kept.py): the whole
    subtree (`WHOLE_SUBTREE`), or the grants themselves."""
    held = grants(user, key)
    if any(g.subtree and node.path.startswith(g.path) for g in held):
        return WHOLE_SUBTREE
    return tuple(sorted((g.path, g.subtree) for g in held))
