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


def health_care_q(lookup="unit"):
    """A Q keeping the rows whose node (`lookup`, the path to it; "" for nodes themselves) lies
    in the health-care part of any tree: at or below a node that states the health-care law."""
    prefix = f"{lookup}__" if lookup else ""
    stated = (
        Applicability.objects.filter(regulation__law_area=LawArea.HEALTH)
        .values_list("node__path", flat=True)
        .distinct()
    )
    covered = Q(pk__in=[])
    for path in sorted(set(stated)):
        covered |= Q(**{f"{prefix}path__startswith": path})
    return covered


def health_care_nodes(scope):
    """The nodes of `scope`'s subtree (a queryset) under the health-care law; none when
    nothing in or above it states that law."""
    return OrgNode.objects.subtree_of(scope).filter(health_care_q(""))
