"""Compliance (följsamhet): how the arithmetic goes, in one place.

For a set of answers, compliance is the share of "ja" among the answers ja, delvis and nej:

    compliance = ja / (ja + delvis + nej)

"Ej aktuellt" is left out of both sides. "Delvis" counts as not complied with in the share and
is shown beside it as its own share (delvis / (ja + delvis + nej)), so a unit sees both how much
is fully in order and how much is partly so. No answers but "ej aktuellt": no compliance (None),
shown as a dash, never as 0 %.

Roll-up: a period, a unit or a part of the tree adds the counts of its executions first and
divides once, so it is weighted by answers: an execution of 40 answered questions weighs four
times one of 10. Each completed execution keeps its four counts (Execution.n_yes, n_partly,
n_no, n_na), so a roll-up over many executions is four sums, never a read of every answer.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from inspections.models import Answer, Execution
from inspections.models.execution import ExecutionState, Reply


@dataclass
class Counts:
    yes: int = 0
    partly: int = 0
    no: int = 0
    na: int = 0

    @property
    def answered(self):
        """The answers compliance is computed on (ej aktuellt left out)."""
        return self.yes + self.partly + self.no

    @property
    def compliance(self):
        return self.yes / self.answered if self.answered else None

    @property
    def partly_share(self):
        return self.partly / self.answered if self.answered else None

    def __add__(self, other):
        return Counts(
            self.yes + other.yes,
            self.partly + other.partly,
            self.no + other.no,
            self.na + other.na,
        )


def percent(value):
    """A share as a whole percentage for the page, or None."""
    return None if value is None else round(value * 100)


SUMS = {
    "yes": Sum("n_yes", default=0),
    "partly": Sum("n_partly", default=0),
    "no": Sum("n_no", default=0),
    "na": Sum("n_na", default=0),
}


def completed(executions=None):
    executions = Execution.objects.all() if executions is None else executions
    return executions.filter(state=ExecutionState.COMPLETED)


def of_execution(execution):
    return Counts(execution.n_yes, execution.n_partly, execution.n_no, execution.n_na)


def total(executions):
    """The roll-up of a set of executions: one query."""
    return Counts(**completed(executions).order_by().aggregate(**SUMS))


def by_year(executions):
    """{year: Counts}, one query."""
    rows = (
        completed(executions)
        .annotate(year=ExtractYear("performed_on"))
        .order_by()
        .values("year")
        .annotate(**SUMS)
    )
    return {row["year"]: Counts(row["yes"], row["partly"], row["no"], row["na"]) for row in rows}


def by_unit(executions, nodes):
    """{node pk: Counts} for each of `nodes`, each the roll-up of its subtree: one query."""
    rows = completed(executions).order_by().values("unit__path").annotate(**SUMS)
    result = {node.pk: Counts() for node in nodes}
    for row in rows:
        for node in nodes:
            if row["unit__path"].startswith(node.path):
                result[node.pk] = result[node.pk] + Counts(
                    row["yes"], row["partly"], row["no"], row["na"]
                )
    return result


def by_question(executions):
    """{(question root pk, year): Counts}: the answers of completed executions, per question
    (a local copy counts with the question it was copied from) and year. One query."""
    rows = (
        Answer.objects.filter(execution__in=completed(executions).values("pk"))
        .annotate(year=ExtractYear("execution__performed_on"))
        .values("question_id", "question__origin_id", "year")
        .order_by()
        .annotate(
            yes=Count("pk", filter=Q(reply=Reply.YES)),
            partly=Count("pk", filter=Q(reply=Reply.PARTLY)),
            no=Count("pk", filter=Q(reply=Reply.NO)),
            na=Count("pk", filter=Q(reply=Reply.NOT_APPLICABLE)),
        )
    )
    result = {}
    for row in rows:
        key = (row["question__origin_id"] or row["question_id"], row["year"])
        result[key] = result.get(key, Counts()) + Counts(
            row["yes"], row["partly"], row["no"], row["na"]
        )
    return result
