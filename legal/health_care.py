"""The health-care part of the organisation: the nodes that work under the health-care law
(Hälso- och sjukvårdslagen and Patientsäkerhetslagen, law area "hsl"), stated for the node or a
node above it in the register of laws that apply (legal.models.Applicability).

The patient safety report (PSL 3 kap 10 §) is written from the registers of this part only. The
statement is the organisation's own, so a unit that gives health care and has not stated it is
left out until someone states it; the report counts lex Maria cases outside the part to show
such a gap.
"""

from django.db.models import Q

from legal.models import Applicability, LawArea
from organisation.models import OrgNode


def health_care_nodes(scope):
    """The nodes of `scope`'s subtree (a queryset) under the health-care law; none when
    nothing in or above it states that law."""
    stated = set(
        Applicability.objects.filter(regulation__law_area=LawArea.HEALTH)
        .filter(Q(node__path__startswith=scope.path) | Q(node_id__in=scope.ancestor_ids()))
        .values_list("node__path", flat=True)
    )
    subtree = OrgNode.objects.subtree_of(scope)
    if any(scope.path.startswith(path) for path in stated):
        return subtree
    if not stated:
        return subtree.none()
    covered = Q()
    for path in sorted(stated):
        covered |= Q(path__startswith=path)
    return subtree.filter(covered)
