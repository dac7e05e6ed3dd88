"""Query pieces for long lists of ids.

`AnyOf(column, ids)` keeps the rows whose column is one of `ids`, like `column__in=ids`, but on
PostgreSQL as `column = ANY(array)` with the ids as one array value. The routines' overview
filters by hundreds of versions and units and the risk statistics by thousands of analyses: an
IN list makes Django prepare and the driver parse a placeholder per id on every request, which
took longer than the database's own work. The planner reads the array exactly as it reads an IN
list.
"""

from django.db.models import BooleanField, F, Func


class AnyOf(Func):
    """`column = ANY(%s)` (PostgreSQL) or `column IN (…)` (elsewhere); never true for no ids."""

    output_field = BooleanField()

    def __init__(self, column, ids):
        super().__init__(F(column))
        self.ids = list(ids)

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        if not self.ids:
            return "1 = 0", ()
        marks = ", ".join(["%s"] * len(self.ids))
        return f"{column} IN ({marks})", (*params, *self.ids)

    def as_postgresql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        if not self.ids:
            return "1 = 0", ()
        # Of the column's own type: the driver would type the array by its largest id.
        db_type = self.source_expressions[0].output_field.db_type(connection)
        return f"{column} = ANY(%s::{db_type}[])", (*params, self.ids)
