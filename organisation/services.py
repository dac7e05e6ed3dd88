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

DATA_DIR = Path(__file__).parent / "data"


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


@transaction.atomic
def close_node(node, *, actor, closed_on=None):
    if node.children.filter(is_active=True).exists():
        raise ValidationError(_("Close the units below first."), code="open_children")
    node.is_active = False
    node.closed_on = closed_on or timezone.localdate()
    node.save(update_fields=["is_active", "closed_on"])
    record_event(node, "organisation.node_closed", actor, name=node.name)


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
    """Give a new organisation the duties of seeds 001 §3 and 002 as editable text."""
    from accounts.models import Role

    roles = {r.code: r for r in Role.objects.all()}
    rows = json.loads((DATA_DIR / "duties.json").read_text(encoding="utf-8"))
    existing = set(RoleDuty.objects.filter(organisation=root).values_list("role__code", flat=True))
    RoleDuty.objects.bulk_create(
        RoleDuty(
            organisation=root, role=roles[row["role"]], text=text, source=row["source"], order=i
        )
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
