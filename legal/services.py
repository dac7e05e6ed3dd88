"""Changes to the register of laws and to the units' statements of which laws apply.

Also the read side of applicability: a statement at a node applies to that node and to
everything below it, so the laws of a unit are its own statements plus its ancestors'.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import record_event
from legal.models import Applicability, Regulation, RegulationSection
from organisation.models import NodeKind, OrgNode

REGULATION_FIELDS = (
    "short_name",
    "name",
    "number",
    "kind",
    "law_area",
    "valid_from",
    "valid_until",
    "replaced_by",
    "notes",
)
SECTION_FIELDS = ("reference", "topic", "valid_from", "valid_until", "verified", "counterpart")

# The kinds of node the coverage page lists (where laws are stated and applied).
COVERAGE_KINDS = (NodeKind.DEPARTMENT, NodeKind.UNIT, NodeKind.OPERATION)


# --- The register ------------------------------------------------------------------------


def _check_period(valid_from, valid_until, field="valid_until"):
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError(
            {field: _("The end date cannot be before the start date.")}, code="period"
        )


def _check_replaced_by(regulation):
    """A law cannot be replaced by itself, directly or through a chain of replacements."""
    seen = set()
    successor = regulation.replaced_by
    while successor is not None:
        if (regulation.pk is not None and successor.pk == regulation.pk) or successor.pk in seen:
            raise ValidationError(
                {"replaced_by": _("A law cannot be replaced by itself.")}, code="replaced_by"
            )
        seen.add(successor.pk)
        successor = successor.replaced_by


def unique_code(number):
    """A stable code for a new register entry, made from its number ("sfs-2001-453")."""
    base = slugify(number.replace(":", "-").replace("/", "-"))[:50] or "regulation"
    code, i = base, 2
    while Regulation.objects.filter(code=code).exists():
        code, i = f"{base}-{i}", i + 1
    return code


def _save_sections(regulation, sections):
    """Make the regulation's sections exactly `sections` (dicts; an `id` keeps that row)."""
    existing = {s.pk: s for s in regulation.sections.all()}
    kept = set()
    for order, data in enumerate(sections):
        _check_period(data.get("valid_from"), data.get("valid_until"))
        section = existing.get(data.get("id")) or RegulationSection(regulation=regulation)
        for name in SECTION_FIELDS:
            if name in data:
                setattr(section, name, data[name])
        section.order = order
        if section.counterpart is not None and section.counterpart.regulation_id == regulation.pk:
            raise ValidationError(
                {
                    "counterpart": _(
                        "The counterpart must be a section of another law or regulation."
                    )
                },
                code="counterpart",
            )
        section.full_clean()
        section.save()
        kept.add(section.pk)
    for pk, section in existing.items():
        if pk not in kept:
            section.delete()


@transaction.atomic
def create_regulation(*, actor, sections=(), **fields):
    """Add a law or regulation to the register, with the sections we refer to."""
    unknown = set(fields) - set(REGULATION_FIELDS) - {"code"}
    if unknown:
        raise TypeError(f"Unknown regulation fields: {sorted(unknown)}")
    regulation = Regulation(**fields)
    if not regulation.code:
        regulation.code = unique_code(regulation.number)
    _check_period(regulation.valid_from, regulation.valid_until)
    regulation.full_clean()
    regulation.save()
    _save_sections(regulation, sections)
    record_event(regulation, "legal.regulation_created", actor, number=regulation.number)
    return regulation


@transaction.atomic
def update_regulation(regulation, *, actor, sections=None, **fields):
    """Change a register entry; `sections`, when given, replaces its list of sections."""
    unknown = set(fields) - set(REGULATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown regulation fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(regulation, name, value)
    _check_period(regulation.valid_from, regulation.valid_until)
    _check_replaced_by(regulation)
    regulation.full_clean()
    regulation.save()
    if sections is not None:
        _save_sections(regulation, sections)
    record_event(regulation, "legal.regulation_updated", actor, number=regulation.number)
    return regulation


# --- Statements of applicability -----------------------------------------------------------


@transaction.atomic
def state_applicability(node, regulation_ids, comments=None, *, actor):
    """Replace the node's own statements of which laws apply to it.

    Laws still stated keep their row (who stated it and when); a changed comment is saved.
    Only laws in force can be newly stated; a law no longer in force that was stated before
    may stay until it is removed.
    """
    comments = comments or {}
    wanted = {int(pk) for pk in regulation_ids}
    current = {a.regulation_id: a for a in Applicability.objects.filter(node=node)}
    new_ids = wanted - set(current)
    if new_ids:
        allowed = set(
            Regulation.objects.in_force().filter(pk__in=new_ids).values_list("pk", flat=True)
        )
        if allowed != new_ids:
            raise ValidationError(
                _("Only laws and regulations in force can be stated."), code="not_in_force"
            )
    for regulation_id, statement in current.items():
        if regulation_id not in wanted:
            statement.delete()
            continue
        comment = (comments.get(regulation_id) or "").strip()
        if comment != statement.comment:
            statement.comment = comment
            statement.full_clean()
            statement.save(update_fields=["comment"])
    for regulation_id in sorted(new_ids):
        statement = Applicability(
            node=node,
            regulation_id=regulation_id,
            comment=(comments.get(regulation_id) or "").strip(),
            stated_by=actor if actor is not None and actor.is_authenticated else None,
        )
        statement.full_clean(validate_unique=False)
        statement.save()
    record_event(node, "legal.applicability_stated", actor, count=len(wanted))
    return Applicability.objects.filter(node=node)


# --- Reading: which laws apply to a node ----------------------------------------------------


@dataclass
class AppliedLaw:
    """One law that applies to a node: stated at the node itself or inherited from above."""

    node_id: int  # the node the law applies to
    regulation: Regulation
    statement: Applicability
    source: OrgNode  # the node where it was stated

    @property
    def stated_here(self):
        return self.source.pk == self.node_id

    @property
    def in_force(self):
        return self.regulation.in_force_today


def _ancestor_ids(node):
    return [int(seg) for seg in node.path.rstrip("/").split("/") if seg]


def laws_for_nodes(nodes):
    """{node.pk: [AppliedLaw, ...]} for the given nodes, in two queries whatever their number.

    The nearest statement wins: a law stated both at a unit and at its department shows as
    stated at the unit. Ancestors are read from the materialised paths, so the viewer need not
    be able to see them; only their names are shown.
    """
    nodes = list(nodes)
    all_ids = {pk for node in nodes for pk in _ancestor_ids(node)}
    statements = list(
        Applicability.objects.filter(node_id__in=all_ids).select_related(
            "regulation", "regulation__replaced_by", "stated_by", "node"
        )
    )
    by_node = {}
    for statement in statements:
        by_node.setdefault(statement.node_id, []).append(statement)
    result = {}
    for node in nodes:
        chosen = {}
        # Nearest first: the node itself, then its parent, up to the root.
        for source_id in reversed(_ancestor_ids(node)):
            for statement in by_node.get(source_id, ()):
                chosen.setdefault(statement.regulation_id, statement)
        laws = [
            AppliedLaw(node_id=node.pk, regulation=s.regulation, statement=s, source=s.node)
            for s in chosen.values()
        ]
        laws.sort(key=lambda law: (law.regulation.kind, law.regulation.name, law.regulation.number))
        result[node.pk] = laws
    return result


def laws_for_node(node):
    return laws_for_nodes([node])[node.pk]


@dataclass
class CoverageRow:
    node: OrgNode
    stated_here: int
    inherited: int
    not_in_force: int

    @property
    def nothing_stated(self):
        return self.stated_here == 0 and self.inherited == 0


def coverage_for(user, only_missing=False):
    """One row per visible department, unit and operation: how many laws apply, and from where.

    Three queries: the visible nodes, the statements on them and their ancestors (with the
    law's validity), and nothing per row.
    """
    nodes = list(
        OrgNode.objects.visible_to(user, "legal.view")
        .filter(kind__in=COVERAGE_KINDS, is_active=True)
        .select_related("parent")
        .order_by("path")
    )
    all_ids = {pk for node in nodes for pk in _ancestor_ids(node)}
    today = timezone.localdate()
    stated = {}
    for node_id, regulation_id, valid_from, valid_until in Applicability.objects.filter(
        node_id__in=all_ids
    ).values_list("node_id", "regulation_id", "regulation__valid_from", "regulation__valid_until"):
        in_force = (valid_from is None or valid_from <= today) and (
            valid_until is None or valid_until >= today
        )
        stated.setdefault(node_id, {})[regulation_id] = in_force
    rows = []
    for node in nodes:
        own = stated.get(node.pk, {})
        above = {}
        for ancestor_id in _ancestor_ids(node)[:-1]:
            above.update(stated.get(ancestor_id, {}))
        inherited = {pk: f for pk, f in above.items() if pk not in own}
        applying = {**inherited, **own}
        row = CoverageRow(
            node=node,
            stated_here=len(own),
            inherited=len(inherited),
            not_in_force=sum(1 for in_force in applying.values() if not in_force),
        )
        if not only_missing or row.nothing_stated:
            rows.append(row)
    return rows
