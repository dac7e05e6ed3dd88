"""Every change to the organisation tree goes through these functions."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record_event
from organisation.models import (
    ALLOWED_CHILD_KINDS,
    PATH_SEGMENT,
    NodeKind,
    OrgNode,
    Provider,
    RoleDuty,
)
from organisation.open_cases import movers, open_cases

DATA_DIR = Path(__file__).parent / "data"


class ListOfCases(list):
    """The open cases, shown in a message as "2 open deviations, 1 open action"."""

    def __str__(self):
        return ", ".join(cases.label for cases in self)


def check_kind(parent, kind):
    allowed = ALLOWED_CHILD_KINDS[parent.kind if parent else None]
    if kind not in allowed:
        raise ValidationError(
            {"kind": _("A %(kind)s cannot be placed here.") % {"kind": NodeKind(kind).label}},
            code="kind",
        )


@transaction.atomic
def create_node(*, actor, kind, name, parent=None, **fields):
    check_kind(parent, kind)
    node = OrgNode(
        kind=kind,
        name=name,
        parent=parent,
        path=f"tmp-{timezone.now().timestamp()}",
        depth=(parent.depth + 1) if parent else 0,
        **fields,
    )
    node.full_clean(exclude=["path"])
    node.save()
    node.path = (parent.path if parent else "") + PATH_SEGMENT.format(node.pk)
    node.save(update_fields=["path"])
    if parent is None:
        ensure_default_duties(node)
    record_event(node, "organisation.node_created", actor, name=node.name)
    return node


@transaction.atomic
def update_node(node, *, actor, **fields):
    for name, value in fields.items():
        setattr(node, name, value)
    node.full_clean(exclude=["path"])
    node.save()
    record_event(node, "organisation.node_updated", actor, name=node.name)
    return node


@transaction.atomic
def set_services(node, services, *, actor):
    node.services.set(services)
    record_event(
        node,
        "organisation.services_set",
        actor,
        services=", ".join(s.name for s in node.services.all()),
    )


def _locked(node):
    return OrgNode.objects.select_for_update().get(pk=node.pk)


def _set_open(node, locked, *, is_active, closed_on):
    for target in (locked, node):
        target.is_active, target.closed_on = is_active, closed_on
    locked.save(update_fields=["is_active", "closed_on"])


@transaction.atomic
def close_node(node, *, actor, closed_on=None):
    """Close a unit that holds nothing open: its cases must first be moved or finished, or
    they would lose their unit's managers (grants on a closed unit count for nothing)."""
    locked = _locked(node)
    if not locked.is_active:
        raise ValidationError(_("The unit is already closed."), code="closed")
    if locked.children.filter(is_active=True).exists():
        raise ValidationError(_("Close the units below first."), code="open_children")
    cases = open_cases(locked)
    if cases:
        raise ValidationError(
            _(
                "%(name)s cannot be closed while it has open cases: %(cases)s. Move them to "
                "another unit or finish them first."
            ),
            code="open_cases",
            params={"name": locked.name, "cases": ListOfCases(cases)},
        )
    _set_open(node, locked, is_active=False, closed_on=closed_on or timezone.localdate())
    record_event(locked, "organisation.node_closed", actor, name=locked.name)
    return node


# Cases sit on units and operations; a higher level takes over only from its own kind.
CASE_KINDS = {NodeKind.UNIT, NodeKind.OPERATION}


def check_move_target(node, target):
    if target.pk == node.pk or target.path.startswith(node.path):
        message = _("Choose a unit outside %(name)s and the units below it.") % {"name": node.name}
    elif not target.is_active:
        message = _("%(name)s is closed and cannot take over cases.") % {"name": target.name}
    elif target.kind not in CASE_KINDS | {node.kind}:
        message = _("The cases cannot be moved to %(name)s (%(kind)s).") % {
            "name": target.name,
            "kind": NodeKind(target.kind).label,
        }
    else:
        return
    raise ValidationError({"target": message}, code="target")


@transaction.atomic
def move_open_cases(node, target, *, actor):
    """Move every open case from `node` to `target`, so that `node` can be closed; each app
    moves its own and writes its own history."""
    locked = {
        n.pk: n for n in OrgNode.objects.select_for_update().filter(pk__in=[node.pk, target.pk])
    }
    node, target = locked[node.pk], locked.get(target.pk, target)
    check_move_target(node, target)
    counts = {mover.__name__: mover(node, target, actor) for mover in movers()}
    record_event(
        node,
        "organisation.cases_moved",
        actor,
        target=target.name,
        count=sum(counts.values()),
    )
    return counts


@transaction.atomic
def reopen_node(node, *, actor):
    """A closed unit in use again, e.g. closed by mistake; the unit above must be open."""
    locked = _locked(node)
    if locked.is_active:
        raise ValidationError(_("The unit is not closed."), code="open")
    if locked.parent_id and not locked.parent.is_active:
        raise ValidationError(_("Reopen the unit above first."), code="closed_parent")
    closed_on = locked.closed_on
    _set_open(node, locked, is_active=True, closed_on=None)
    record_event(
        locked,
        "organisation.node_reopened",
        actor,
        name=locked.name,
        closed_on=closed_on.isoformat() if closed_on else "",
    )
    return node


@transaction.atomic
def set_provider(node, *, actor, **fields):
    provider, created = Provider.objects.get_or_create(node=node, defaults=fields)
    if not created:
        for name, value in fields.items():
            setattr(provider, name, value)
    provider.full_clean()
    provider.save()
    record_event(node, "organisation.provider_set", actor, provider=provider.name)
    return provider


def ensure_default_duties(root):
    """Give a new organisation the duties of seeds 001 §3 and 002 as editable text.

    A row's "provenance" in duties.json is a note for developers and never stored: the
    source a reader sees is the organisation's own ("Edited by the organisation").
    """
    from accounts.models import Role

    roles = {r.code: r for r in Role.objects.all()}
    rows = json.loads((DATA_DIR / "duties.json").read_text(encoding="utf-8"))
    existing = set(RoleDuty.objects.filter(organisation=root).values_list("role__code", flat=True))
    RoleDuty.objects.bulk_create(
        RoleDuty(organisation=root, role=roles[row["role"]], text=text, order=i)
        for row in rows
        if row["role"] in roles and row["role"] not in existing
        for i, text in enumerate(row["duties"])
    )


@transaction.atomic
def save_duties(root, role, texts, *, actor):
    """Replace one role's duties in an organisation by the given lines, in order."""
    before = list(
        RoleDuty.objects.filter(organisation=root, role=role).values_list("text", flat=True)
    )
    texts = [t.strip() for t in texts if t.strip()]
    if texts == before:
        return
    RoleDuty.objects.filter(organisation=root, role=role).delete()
    # Stored data: in the organisation's language, whatever the editor's interface shows.
    with translation.override(settings.LANGUAGE_CODE):
        source = _("Edited by the organisation")
    for i, text in enumerate(texts):
        RoleDuty.objects.create(organisation=root, role=role, text=text, order=i, source=source)
    record_event(root, "organisation.duties_edited", actor, role=role.name)
