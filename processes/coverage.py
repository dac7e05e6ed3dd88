"""Coverage of the process register by routines (4 kap 2–6 §§): the evidence for the 4 kap
verdict of the yearly quality report.

`coverage(processes_queryset, today=None)` reads the given processes (already filtered with
`Process.objects.visible_to(user)` by the caller) with a fixed number of queries and returns a
`Coverage`:

    Coverage
      .today: date                   the day the review dates were judged against
      .rows: [ProcessRow]            one per process, in the queryset's order
      .totals: Totals
      (iterating a Coverage gives its rows)

    ProcessRow
      .process: Process
      .activities: [ActivityRow]     in step order
      .collaborations: [CollaborationRow]
      .activities_total: int
      .activities_covered: int       activities whose status is COVERED
      .status_counts: {status: int}  activities per status (every status present, maybe 0)
      .has_collaboration: bool       at least one collaboration is recorded
      .lacks_collaboration_routine: bool
                                     a collaboration without a published routine
      .expired_agreements: int       collaborations whose agreement's end date has passed
      .fully_covered: bool           every activity COVERED, no collaboration lacking a
                                     published routine, no expired agreement

    ActivityRow
      .activity: Activity
      .status: Status                the weakest status of its routines (NO_ROUTINE if none)
      .routines: [RoutineState]

    CollaborationRow
      .collaboration: Collaboration
      .status: Status                of its routine (NO_ROUTINE if none)
      .routine: RoutineState | None
      .agreement_expired: bool       agreement_valid_until < today

    RoutineState
      .routine: Routine
      .status: Status                NOT_PUBLISHED, REVIEW_PASSED or COVERED

    Totals
      .processes, .activities, .activities_covered: int
      .share_covered: float | None   activities_covered / activities (None without activities)
      .status_counts: {status: int}  activities per status over all processes
      .processes_without_collaboration: int
      .processes_lacking_collaboration_routine: int
      .expired_agreements: int

Statuses, weakest first: NO_ROUTINE (no routine named), NOT_PUBLISHED (the routine has no
published version: only drafts, or in review, or withdrawn), REVIEW_PASSED (published, but its
review date has passed), COVERED (published and within its review date). An activity governed
by several routines is only as covered as the weakest of them.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from processes.models import Activity, Collaboration
from routines.models import Routine


class Status(models.TextChoices):
    NO_ROUTINE = "no_routine", _("No routine")
    NOT_PUBLISHED = "not_published", _("No published version")
    REVIEW_PASSED = "review_passed", _("Published, review date passed")
    COVERED = "covered", _("Published, within review date")


ORDER = [Status.NO_ROUTINE, Status.NOT_PUBLISHED, Status.REVIEW_PASSED, Status.COVERED]
# A published collaboration routine counts, even past its review date (shown as such).
PUBLISHED = (Status.REVIEW_PASSED, Status.COVERED)


def routine_status(routine, today):
    if routine.current_version_id is None or routine.withdrawn_at is not None:
        return Status.NOT_PUBLISHED
    if routine.review_overdue(today):
        return Status.REVIEW_PASSED
    return Status.COVERED


def _weakest(statuses):
    return min(statuses, key=ORDER.index) if statuses else Status.NO_ROUTINE


def _counts():
    return dict.fromkeys(ORDER, 0)


@dataclass
class RoutineState:
    routine: Routine
    status: str


@dataclass
class ActivityRow:
    activity: Activity
    status: str
    routines: list


@dataclass
class CollaborationRow:
    collaboration: Collaboration
    status: str
    routine: RoutineState | None
    agreement_expired: bool


@dataclass
class ProcessRow:
    process: object
    activities: list
    collaborations: list
    status_counts: dict = field(default_factory=_counts)

    def __post_init__(self):
        for row in self.activities:
            self.status_counts[row.status] += 1

    @property
    def activities_total(self):
        return len(self.activities)

    @property
    def activities_covered(self):
        return self.status_counts[Status.COVERED]

    @property
    def has_collaboration(self):
        return bool(self.collaborations)

    @property
    def lacks_collaboration_routine(self):
        return any(row.status not in PUBLISHED for row in self.collaborations)

    @property
    def expired_agreements(self):
        return sum(1 for row in self.collaborations if row.agreement_expired)

    @property
    def fully_covered(self):
        return (
            self.activities_covered == self.activities_total
            and not self.lacks_collaboration_routine
            and not self.expired_agreements
        )


@dataclass
class Totals:
    processes: int = 0
    activities: int = 0
    status_counts: dict = field(default_factory=_counts)
    processes_without_collaboration: int = 0
    processes_lacking_collaboration_routine: int = 0
    expired_agreements: int = 0

    @property
    def activities_covered(self):
        return self.status_counts[Status.COVERED]

    @property
    def share_covered(self):
        return self.activities_covered / self.activities if self.activities else None

    def add(self, row):
        self.processes += 1
        self.activities += row.activities_total
        for status, count in row.status_counts.items():
            self.status_counts[status] += count
        self.processes_without_collaboration += not row.has_collaboration
        self.processes_lacking_collaboration_routine += row.lacks_collaboration_routine
        self.expired_agreements += row.expired_agreements


@dataclass
class Coverage:
    today: object
    rows: list
    totals: Totals

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


# Only what the statuses need: no version bodies are read.
ROUTINE_FIELDS = (
    "pk",
    "reference",
    "title",
    "unit_id",
    "current_version_id",
    "next_review_on",
    "withdrawn_at",
)


def with_coverage_data(processes_queryset):
    """The queryset with everything coverage reads prefetched (five queries in all)."""
    routines = Routine.objects.only(*ROUTINE_FIELDS).order_by("title", "pk")
    return processes_queryset.select_related("unit", "owner").prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.select_related("responsible_role")
            .prefetch_related(Prefetch("routines", queryset=routines))
            .order_by("position", "pk"),
        ),
        Prefetch(
            "collaborations",
            queryset=Collaboration.objects.select_related("internal_unit").prefetch_related(
                Prefetch("routine", queryset=routines)
            ),
        ),
    )


def _state(routine, today):
    return RoutineState(routine, routine_status(routine, today))


def process_row(process, today):
    """One process's row; its activities and collaborations should be prefetched."""
    activities = []
    for activity in process.activities.all():
        states = [_state(r, today) for r in activity.routines.all()]
        activities.append(ActivityRow(activity, _weakest([s.status for s in states]), states))
    collaborations = []
    for collaboration in process.collaborations.all():
        state = _state(collaboration.routine, today) if collaboration.routine_id else None
        until = collaboration.agreement_valid_until
        collaborations.append(
            CollaborationRow(
                collaboration,
                state.status if state else Status.NO_ROUTINE,
                state,
                bool(until and until < today),
            )
        )
    return ProcessRow(process, activities, collaborations)


def coverage(processes_queryset, today=None):
    """Coverage of the given processes (see the module docstring for the shape)."""
    today = today or timezone.localdate()
    totals = Totals()
    rows = []
    for process in with_coverage_data(processes_queryset):
        row = process_row(process, today)
        totals.add(row)
        rows.append(row)
    return Coverage(today, rows, totals)
