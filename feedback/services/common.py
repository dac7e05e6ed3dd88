"""What the services of feedback share: the reference, where feedback is handled, its targets,
and who may do what."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can
from feedback.models import (
    COORDINATE,
    HANDLE,
    OPEN,
    REFERENCE_FORMAT,
    ReferenceSequence,
    TargetKind,
    TargetRule,
)
from legal.clocks import due_for_rule
from organisation.models import NodeKind, OrgNode


def next_reference(when):
    """The next number of the year, taken under a row lock so two never share one."""
    year = timezone.localtime(when).year
    ReferenceSequence.objects.get_or_create(year=year)
    sequence = ReferenceSequence.objects.select_for_update().get(year=year)
    sequence.last = F("last") + 1
    sequence.save(update_fields=["last"])
    sequence.refresh_from_db(fields=["last"])
    return REFERENCE_FORMAT.format(year=year, number=sequence.last)


def coordinating_node():
    """Where feedback about an unknown operation goes: the highest node of the municipality's
    own tree (the first board's) where someone receives it (`feedback.coordinate`), else the
    top of that tree."""
    from accounts.models import RoleAssignment

    root = (
        OrgNode.objects.filter(parent__isnull=True, kind=NodeKind.BOARD, is_active=True)
        .order_by("path")
        .first()
        or OrgNode.objects.filter(parent__isnull=True, is_active=True).order_by("path").first()
    )
    if root is None:
        return None
    held = (
        RoleAssignment.objects.active()
        .filter(
            node__path__startswith=root.path,
            node__is_active=True,
            user__is_active=True,
            role__permissions__key=COORDINATE,
        )
        .select_related("node")
        .order_by("node__depth", "node__path")
        .first()
    )
    return held.node if held is not None else root


def handling_unit(about):
    """The unit that handles feedback about `about`: the unit itself, the unit above an
    operation, or the coordinators when the person did not know."""
    if about is None:
        return coordinating_node()
    if about.kind == NodeKind.OPERATION and about.parent_id:
        return about.parent
    return about


def rule_among(rules, target, feedback, on):
    """The most specific of `rules` for `target` in force on `on` for this feedback, or None."""
    fitting = [
        rule
        for rule in rules
        if rule.target == target
        and (rule.valid_from is None or rule.valid_from <= on)
        and (rule.valid_until is None or rule.valid_until >= on)
        and rule.kind in ("", feedback.kind)
        and (not rule.health_care or feedback.health_care)
    ]
    return max(fitting, key=TargetRule.specificity, default=None)


def rule_for(target, feedback, on):
    return rule_among(TargetRule.objects.filter(target=target), target, feedback, on)


def set_targets(feedback):
    """The dates by which the feedback is to be acknowledged and answered, from its receipt.
    Praise asks for no answer; feedback that wants none has no answer date either."""
    start = feedback.received_at
    on = timezone.localtime(start).date()
    root_id = feedback.unit.root_id
    acknowledge = rule_for(TargetKind.ACKNOWLEDGE, feedback, on)
    feedback.acknowledge_due = (
        due_for_rule(acknowledge, start, root_id) if acknowledge is not None else None
    )
    answer = rule_for(TargetKind.ANSWER, feedback, on) if feedback.wants_answer else None
    feedback.answer_due = due_for_rule(answer, start, root_id) if answer is not None else None


def may_handle(user, feedback):
    return user is None or can(user, HANDLE, feedback)


def lock(feedback):
    """The feedback read again under a row lock, for a change."""
    from feedback.models import Feedback

    return (
        Feedback.objects.select_for_update(of=("self",)).select_related("unit").get(pk=feedback.pk)
    )


def require_handle(user, feedback):
    if not may_handle(user, feedback):
        raise PermissionDenied


def may_coordinate(user, feedback):
    return user is None or can(user, COORDINATE, feedback)


def holders_by_level(units, key):
    """{unit pk: [[people], …]}: the active holders of `key` over each unit, by level, the
    nearest first (those at the unit, then at each level above that has any), read in two
    queries for the whole batch."""
    from accounts.models import RoleAssignment, User

    ancestors = {unit.pk: unit.ancestor_ids() for unit in units}
    rows = (
        RoleAssignment.objects.active()
        .filter(
            node_id__in={i for ids in ancestors.values() for i in ids},
            node__is_active=True,
            user__is_active=True,
            role__permissions__key=key,
        )
        .values_list("user_id", "node_id", "include_subtree")
        .distinct()
    )
    at_node = {}
    for user_id, node_id, subtree in rows:
        at_node.setdefault(node_id, []).append((user_id, subtree))
    users = User.objects.in_bulk({user_id for held in at_node.values() for user_id, _s in held})
    levels = {}
    for unit in units:
        found = []
        for node_id in reversed(ancestors[unit.pk]):
            ids = sorted(
                {u for u, subtree in at_node.get(node_id, []) if subtree or node_id == unit.pk}
            )
            if ids:
                found.append([users[u] for u in ids])
        levels[unit.pk] = found
    return levels


def holders(unit, key):
    """The active people holding `key` over `unit`, at the nearest level that has any (a unit
    manager before the department manager)."""
    levels = holders_by_level([unit], key)[unit.pk]
    return levels[0] if levels else []


def require_open(feedback):
    """Notes, themes and reports are for feedback being handled, not for what is closed, held
    or discarded (a closed one is reopened first)."""
    if feedback.status not in OPEN:
        raise ValidationError(
            _("This cannot be done now: the feedback is “%(status)s”.")
            % {"status": feedback.get_status_display()},
            code="transition",
        )
