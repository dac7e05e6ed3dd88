"""`unit__any_of=UnitSet(ids)`: the units of a person's scope as one parameter.

The statistics read the kept counts for a list of units (a large municipality: several hundred).
As `unit__in` each id is a parameter of its own, which Django checks and the database driver
converts one by one, several times a page (PostgreSQL, 580 units: some 5 ms a query); on
PostgreSQL `= ANY('{…}'::bigint[])` is one text parameter and the same plan (the database turns
an IN list into it). Other databases get the usual IN list.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import Lookup


class UnitSet:
    """Node ids, made once per request. Deliberately not a list: Django would inspect every
    element of a list value in every query."""

    def __init__(self, ids, *, everything=False):
        self.ids = [int(pk) for pk in ids]
        self.literal = "{" + ",".join(map(str, self.ids)) + "}"
        # Every node there is: the counts need no filter by unit at all (a municipality-wide
        # reader's 600 ids, tested against every counted row, cost more than the rest).
        self.everything = everything

    def __len__(self):
        return len(self.ids)


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [value]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = self.rhs.ids
        if not values:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, self.rhs.literal]


def register(*models):
    for model in models:
        model._meta.get_field("unit").register_lookup(AnyOf)
