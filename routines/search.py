"""Full-text search of the routines in force, in Swedish.

PostgreSQL (production): the published versions' `search_text` is searched through
`to_tsvector('swedish', search_text)`, served by the partial GIN expression index of migration
0002_search (only published versions are indexed). The query is read with
`websearch_to_tsquery('swedish', q)`: words are stemmed by the Swedish snowball stemmer, "quotes"
search a phrase, `-word` excludes and `or` gives alternatives. A query without that syntax also
matches the stemmed beginning of each word (`to_tsquery('swedish', 'word:* & ...')`), since
stemming does not split Swedish compounds. The routine's title is matched the same way. Results
are ordered by rank (ts_rank, of the texts over the vector the database keeps in the generated
column search_vector of migration 0004), title breaking ties.

SQLite (the embedded default): an FTS5 table `routines_search` (version_id, title, body) kept by
the receivers of version_published / version_ended (routines/hooks.py). SQLite has no Swedish
stemmer, so each word of the query is matched as a prefix: "rutin" finds "rutiner" and
"rutinen", but "rutiner" does not find "rutin". Letters are compared without folding å, ä and ö
to a and o, since they are letters of their own in Swedish.

Both filter a queryset the caller gives: pass one that already went through `visible_to`, and
search returns nothing the person may not read.
"""

import re

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
)

CONFIG = "swedish"
FTS_TABLE = "routines_search"
# Beyond this many matches the SQLite ranking is not worth the long CASE: the rest follow by
# title. A person reads the first page of results, not the thousandth.
RANKED_LIMIT = 500
WORD = re.compile(r"\w+", re.UNICODE)


def is_postgres(conn=None):
    return (conn or connection).vendor == "postgresql"


# -- PostgreSQL --------------------------------------------------------------------------------


class _Vector(Func):
    """to_tsvector('swedish', column): the exact expression of the index, so it is used."""

    function = "to_tsvector"
    template = f"%(function)s('{CONFIG}'::regconfig, %(expressions)s)"


class _Query(Func):
    function = "websearch_to_tsquery"
    template = f"%(function)s('{CONFIG}'::regconfig, %(expressions)s)"


class _PrefixQuery(Func):
    function = "to_tsquery"
    template = f"%(function)s('{CONFIG}'::regconfig, %(expressions)s)"


class _Or(Func):
    arg_joiner = " OR "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _Rank(Func):
    function = "ts_rank"
    output_field = FloatField()


class _StoredVector(Func):
    """The vector PostgreSQL keeps of a version's search_text (the generated column
    search_vector of migration 0004): ranking reads it instead of parsing every matching text
    again, which took most of a search's time. The column is not a model field, so it is named
    by the table alias Django gives the search_text column it stands next to."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        text = connection.ops.quote_name("search_text")
        if not sql.endswith(text):
            raise ValueError(f"Not a search_text column: {sql}")
        return sql[: -len(text)] + connection.ops.quote_name("search_vector"), params


def _plain(query):
    """A query without websearch syntax (phrases, exclusions, or)."""
    return (
        '"' not in query
        and not re.search(r"(^|\s)-\w", query)
        and " or " not in (f" {query.lower()} ")
    )


def prefix_tsquery(query):
    """`word:* & word:*` of the query's words: the stemmed beginning of each word, which also
    finds compounds ("läkemedel" → "läkemedelshantering"). Only word characters reach it."""
    return " & ".join(f"{word}:*" for word in words(query))


def _postgres_search(routines, query):
    from routines.models import RoutineVersion

    queries = [_Query(Value(query))]
    prefix = prefix_tsquery(query) if _plain(query) else ""
    if prefix:
        # Swedish writes compounds as one word, which stemming does not split: the beginning of
        # each word is matched too, ranked below a match of the whole word.
        queries.append(_PrefixQuery(Value(prefix)))

    def matches(column):
        vector = _Vector(F(column))
        found = _Matches(vector, queries[0])
        for more in queries[1:]:
            found = _Or(found, _Matches(vector, more))
        return found

    def rank(column, stored=False):
        vector = _StoredVector(F(column)) if stored else _Vector(F(column))
        total = _Rank(vector, queries[0])
        for more in queries[1:]:
            total = total + _Rank(vector, more) / 2
        return total

    # The texts are matched in a subquery of the versions alone, which the partial GIN index
    # of 0002_search serves; the titles are few and short.
    texts = (
        RoutineVersion.objects.filter(state="published")
        .annotate(found=matches("search_text"))
        .filter(found=True)
        .values("pk")
    )
    return (
        routines.filter(current_version__state="published")
        .annotate(search_title=matches("title"))
        .filter(Q(current_version__in=texts) | Q(search_title=True))
        # A word in the title weighs double: it is what the routine is about.
        .annotate(search_rank=rank("current_version__search_text", stored=True) + 2 * rank("title"))
        .order_by("-search_rank", "title", "pk")
    )


# -- SQLite ------------------------------------------------------------------------------------


def words(query):
    """The words of a query, lower case; punctuation and FTS5 syntax are dropped."""
    return [w.lower() for w in WORD.findall(query or "")]


def fts_expression(query):
    """Each word as a quoted prefix term, all required: `"rutin"* "hand"*`."""
    return " ".join(f'"{word}"*' for word in words(query))


def _sqlite_search(routines, query):
    expression = fts_expression(query)
    if not expression:
        return routines.none()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT version_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank",
            [expression],
        )
        ranked = [row[0] for row in cursor.fetchall()]
    order = Case(
        *[When(current_version_id=pk, then=Value(i)) for i, pk in enumerate(ranked[:RANKED_LIMIT])],
        default=Value(RANKED_LIMIT),
        output_field=IntegerField(),
    )
    return (
        routines.filter(current_version_id__in=ranked, current_version__state="published")
        .annotate(search_rank=order)
        .order_by("search_rank", "title", "pk")
    )


def index_version(version):
    """Put a published version in the SQLite index (replacing an earlier entry of it)."""
    if is_postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE version_id = %s", [version.pk])
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (version_id, title, body) VALUES (%s, %s, %s)",
            [version.pk, version.routine.title, version.search_text or ""],
        )


def unindex_version(version):
    if is_postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE version_id = %s", [version.pk])


# -- both --------------------------------------------------------------------------------------


def search(routines_queryset, query):
    """The routines of `routines_queryset` whose title or published text match `query`.

    Ordered by relevance (PostgreSQL: ts_rank; SQLite: FTS5's bm25 rank), then by title; each
    routine carries `search_rank`. An empty query matches nothing.
    """
    query = " ".join((query or "").split())
    if not query:
        return routines_queryset.none()
    if is_postgres():
        return _postgres_search(routines_queryset, query)
    return _sqlite_search(routines_queryset, query)
