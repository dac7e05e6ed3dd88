"""Chapters 4 and 6 of the quality report: the routines in force and their review dates (as of
the end of the year), the process register's coverage by routines (as it stands today), and
the staff's acknowledgments of the year. Each figure and fact is the register's own count for
the same part of the organisation and year, and a unit's report counts only its unit."""

import datetime

import pytest
from django.db.models import Q
from django.utils import timezone

from processes import services as process_services
from processes.models import Activity, Process
from processes.report_chapter import process_register
from reports.services import writing
from routines import acknowledgments
from routines.models import Acknowledgment, Routine, RoutineReview, RoutineVersion
from routines.report_chapter import routine_register, staff_acknowledgment
from routines.review import record_review
from routines.services.draft import create_routine
from routines.services.publish import publish_imported, withdraw
from tests.routines_s_helpers import routine_in_force
from tests.test_processes_makers import make_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_year(today):
    return today.year


@pytest.fixture
def year_before(this_year):
    return this_year - 1


def _actor(cast, unit):
    return cast.manager_a if unit == cast.unit_a else cast.parent_manager


def imported(cast, unit, effective_from, months=12, title="Importerad"):
    """A routine approved outside Hjulet, in force from `effective_from`."""
    actor = _actor(cast, unit)
    routine = create_routine(
        actor=actor,
        unit=unit,
        title=title,
        owner=actor,
        body="<p>Text</p>",
        review_interval_months=months,
    )
    publish_imported(
        routine.versions.get(),
        actor=actor,
        approved_as="Enhetschef",
        approved_on=effective_from,
        effective_from=effective_from,
    )
    routine.refresh_from_db()
    return routine


# -- chapter 4: the routines ---------------------------------------------------------------------


def _routines_now(cast, today):
    routine_in_force(cast, title="Nyckelhantering")
    routine_in_force(cast, title="Läkemedel")
    imported(cast, cast.unit_a, today - datetime.timedelta(days=400), title="Gammal")
    routine_in_force(cast, unit=cast.unit_b, title="Enhet B:s rutin")
    routine_in_force(cast, unit=cast.dept, title="Bemötande")
    create_routine(
        actor=cast.manager_a, unit=cast.unit_a, title="Utkast", owner=cast.manager_a, body="x"
    )
    ended = routine_in_force(cast, title="Indragen")
    withdraw(ended.current_version, actor=cast.manager_a, reason="Gäller inte längre")
    reviewed = Routine.objects.get(title="Läkemedel")
    record_review(reviewed, actor=cast.manager_a, outcome="no_change")


def test_routines_in_force_this_year_are_the_registers(cast, today, this_year):
    _routines_now(cast, today)
    for scope in (cast.administration, cast.unit_a, cast.unit_b):
        part = routine_register(scope, this_year)
        routines = Routine.objects.filter(unit__path__startswith=scope.path)
        in_force = routines.filter(current_version__isnull=False)
        overdue = routines.filter(next_review_on__lt=today)
        versions = RoutineVersion.objects.filter(routine__in=routines)
        facts = part.facts
        assert facts["routines_in_force"] == in_force.count()
        assert facts["routines_past_review"] == overdue.count()
        assert facts["routine_versions_approved"] == (
            versions.filter(approved_at__year=this_year).count()
        )
        assert facts["routine_reviews"] == (
            RoutineReview.objects.filter(routine__in=routines, reviewed_on__year=this_year).count()
        )
        share = overdue.count() / in_force.count()
        assert facts["routines_past_review_share"] == round(share, 3)
        in_force_figure = part.figures[0]
        assert in_force_figure.value == in_force.count()
        assert (
            f"unit={scope.pk}" in in_force_figure.url and "state=published" in in_force_figure.url
        )
        assert "state=overdue" in part.figures[2].url and part.figures[2].value == overdue.count()
    unit_a = routine_register(cast.unit_a, this_year).facts
    assert (unit_a["routines_in_force"], unit_a["routines_past_review"]) == (3, 1)
    assert routine_register(cast.unit_b, this_year).facts["routines_in_force"] == 1
    # The withdrawn routine and the draft are not in force; the department's routine and unit
    # B's count in the department's report, not in unit A's.
    assert routine_register(cast.administration, this_year).facts["routines_in_force"] == 5


def test_the_routines_per_unit_below(cast, today, this_year):
    _routines_now(cast, today)
    table = routine_register(cast.dept, this_year).tables[0]
    rows = {row[0]: row[1:] for row in table.rows}
    for unit in (cast.unit_a, cast.unit_b, cast.provider_node):
        routines = Routine.objects.filter(unit__path__startswith=unit.path)
        assert rows[unit.name] == [
            routines.filter(current_version__isnull=False).count(),
            routines.filter(next_review_on__lt=today).count(),
        ]
    own = [row for row in table.rows if cast.dept.name in row[0] and row[0] != cast.dept.name]
    assert [row[1:] for row in own] == [[1, 0]]  # the department's own routine
    assert routine_register(cast.unit_a, this_year).tables == []  # nothing below a unit


def test_a_past_year_is_read_as_of_its_last_day(cast, this_year, year_before):
    late = imported(cast, cast.unit_a, datetime.date(year_before - 1, 3, 1), title="Sen")
    record_review(late, actor=cast.manager_a, outcome="no_change")  # reviewed only now
    imported(cast, cast.unit_a, datetime.date(year_before, 2, 1), months=36, title="Inom")
    routine_in_force(cast, title="Ny i år")
    gone = imported(cast, cast.unit_a, datetime.date(year_before - 1, 5, 1), title="Indragen i år")
    withdraw(gone.current_version, actor=cast.manager_a, reason="Ersatt")

    part = routine_register(cast.unit_a, year_before)
    year_end = timezone.make_aware(datetime.datetime(this_year, 1, 1))
    in_force_then = RoutineVersion.objects.filter(
        routine__unit=cast.unit_a,
        published_at__isnull=False,
        effective_from__lte=datetime.date(year_before, 12, 31),
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=year_end))
    assert part.facts["routines_in_force"] == in_force_then.count() == 3
    # "Sen" was past its date at the year's end though reviewed since, as was the withdrawn one.
    assert part.facts["routines_past_review"] == 2
    assert part.facts["routines_past_review_share"] == round(2 / 3, 3)
    assert part.facts["routine_versions_approved"] == (
        RoutineVersion.objects.filter(
            routine__unit=cast.unit_a, approved_at__year=year_before
        ).count()
    )
    assert part.facts["routine_reviews"] == 0
    # The register's lists show today's state only: no link for a year that has ended.
    assert all(f.url == "" for f in part.figures)
    current = routine_register(cast.unit_a, this_year).facts
    assert current["routines_in_force"] == 3 and current["routine_reviews"] == 1


def test_nothing_in_force_leaves_the_share_unread(cast, this_year):
    facts = routine_register(cast.unit_b, this_year).facts
    assert facts["routines_in_force"] == 0 and facts["routines_past_review_share"] is None


# -- chapter 4: the process register -------------------------------------------------------------


def _activity(process, name, routines=()):
    return process_services.add_activity(
        process, actor=process.owner, name=name, responsible_note="X", routines=routines
    )


def _processes(cast):
    in_force = routine_in_force(cast, title="Inskrivningsrutin")
    draft = create_routine(
        actor=cast.manager_a, unit=cast.unit_a, title="Utkast", owner=cast.manager_a, body="x"
    )
    intake = make_process(cast, name="Inskrivning")
    _activity(intake, "Ansökan", [in_force])
    _activity(intake, "Utredning", [draft])
    _activity(intake, "Beslut")
    process_services.add_collaboration(
        intake, actor=cast.manager_a, kind="school", partner="Skolan"
    )
    covered = make_process(cast, name="Utskrivning")
    _activity(covered, "Avslut", [in_force])
    make_process(cast, name="Tom")
    retired = make_process(cast, name="Gammal")
    _activity(retired, "Steg")
    process_services.deactivate_process(retired, actor=cast.manager_a)
    other = make_process(cast, unit=cast.unit_b, actor=cast.parent_manager, name="Enhet B")
    _activity(other, "Steg")


def _without_routine(activities):
    """Activities with no routine, or a routine not in force (drafted only, withdrawn)."""
    return activities.filter(
        Q(routines__isnull=True)
        | Q(routines__current_version__isnull=True)
        | Q(routines__withdrawn_at__isnull=False)
    ).distinct()


def test_the_process_register_is_the_registers_count(cast, this_year, year_before):
    _processes(cast)
    for scope in (cast.administration, cast.unit_a, cast.unit_b):
        facts = process_register(scope, year_before).facts
        processes = Process.objects.filter(unit__path__startswith=scope.path, is_active=True)
        activities = Activity.objects.filter(process__in=processes)
        without = _without_routine(activities)
        assert facts["processes"] == processes.count()
        assert facts["activities"] == activities.count()
        assert facts["activities_without_routine"] == without.count()
        assert facts["processes_with_activities_without_routine"] == (
            processes.filter(activities__in=without).distinct().count()
        )
        assert facts["processes_without_activities"] == (
            processes.filter(activities__isnull=True).count()
        )
        covered = activities.count() - without.count()
        assert facts["activities_covered_share"] == round(covered / activities.count(), 3)
    unit_a = process_register(cast.unit_a, this_year).facts
    assert (unit_a["processes"], unit_a["activities"]) == (3, 4)
    assert unit_a["activities_without_routine"] == 2
    assert unit_a["processes_with_activities_without_routine"] == 1
    assert unit_a["processes_lacking_collaboration_routine"] == 1
    unit_b = process_register(cast.unit_b, this_year).facts
    assert (unit_b["processes"], unit_b["activities_without_routine"]) == (1, 1)
    assert unit_b["processes_lacking_collaboration_routine"] is None  # no collaboration


def test_the_coverage_link_only_where_it_lists_exactly_the_processes_counted(cast, this_year):
    _processes(cast)
    assert f"node={cast.unit_a.pk}" in process_register(cast.unit_a, this_year).figures[0].url
    make_process(cast, unit=cast.dept, actor=cast.parent_manager, name="Avdelningens")
    # The coverage page of unit A would now show the department's process too.
    assert process_register(cast.unit_a, this_year).figures[0].url == ""
    assert f"node={cast.dept.pk}" in process_register(cast.dept, this_year).figures[0].url


def test_an_empty_register_leaves_the_rules_unread(cast, this_year):
    facts = process_register(cast.unit_b, this_year).facts
    assert facts["processes"] == 0
    assert facts["activities_without_routine"] is None
    assert facts["processes_with_activities_without_routine"] is None
    assert facts["activities_covered_share"] is None


# -- chapter 6: acknowledgments ------------------------------------------------------------------


def _acknowledgments(cast):
    unit_routine = routine_in_force(cast, title="Nyckelhantering")
    routine_in_force(cast, unit=cast.dept, title="Bemötande")
    for ack in Acknowledgment.objects.filter(user=cast.same_unit):
        acknowledgments.acknowledge(ack, cast.same_unit)
    return unit_routine


def test_the_acknowledgments_of_the_year_are_the_registers(cast, this_year):
    _acknowledgments(cast)
    for scope in (cast.administration, cast.dept, cast.unit_a, cast.unit_b):
        part = staff_acknowledgment(scope, this_year)
        tasks = Acknowledgment.objects.filter(
            unit__path__startswith=scope.path, assigned_at__year=this_year
        )
        done = tasks.filter(acknowledged_at__isnull=False).count()
        facts = part.facts
        assert facts["acknowledgment_tasks"] == tasks.count()
        assert facts["acknowledged"] == done
        assert facts["acknowledgment_rate"] == round(done / tasks.count(), 3)
        assert [f.value for f in part.figures if f.share] == [facts["acknowledgment_rate"]]
        people = tasks.values("user").distinct().count()
        assert part.figures[0].value == people
    unit_a = staff_acknowledgment(cast.unit_a, this_year).facts
    # Sara and Maja at unit A, each asked for both routines; Sara acknowledged hers.
    assert (unit_a["acknowledgment_tasks"], unit_a["acknowledged"]) == (4, 2)
    assert staff_acknowledgment(cast.unit_b, this_year).facts["acknowledged"] == 0


def test_the_acknowledgments_per_unit_below(cast, this_year):
    _acknowledgments(cast)
    rows = {row[0]: row[1:] for row in staff_acknowledgment(cast.dept, this_year).tables[0].rows}
    for unit in (cast.unit_a, cast.unit_b, cast.provider_node):
        tasks = Acknowledgment.objects.filter(unit=unit, assigned_at__year=this_year)
        done = tasks.filter(acknowledged_at__isnull=False).count()
        assert rows[unit.name][:2] == [tasks.count(), done]
    assert rows[cast.unit_a.name][2] == "50 %"


def test_an_acknowledgment_after_the_year_end_does_not_count_for_that_year(
    cast, this_year, year_before
):
    unit_routine = _acknowledgments(cast)
    # Sara's task for unit A's routine was given last December and acknowledged this year.
    given = timezone.make_aware(datetime.datetime(year_before, 12, 20, 12))
    Acknowledgment.objects.filter(user=cast.same_unit, version=unit_routine.current_version).update(
        assigned_at=given
    )
    last_year = staff_acknowledgment(cast.unit_a, year_before).facts
    assert last_year == {"acknowledgment_tasks": 1, "acknowledged": 0, "acknowledgment_rate": 0.0}
    assert staff_acknowledgment(cast.unit_a, this_year).facts["acknowledgment_tasks"] == 3
    nobody = staff_acknowledgment(cast.unit_a, year_before - 1).facts
    assert nobody["acknowledgment_rate"] is None


# -- the whole report ----------------------------------------------------------------------------


def test_the_report_carries_the_routines_and_processes_parts(
    cast, django_capture_on_commit_callbacks, this_year
):
    _processes(cast)
    _acknowledgments(cast)
    with django_capture_on_commit_callbacks(execute=True):
        report = writing.start_report(
            actor=cast.quality, kind="quality", scope=cast.administration, year=this_year
        )
    report.refresh_from_db()
    structure = report.chapters.get(code="4")
    routines_part, processes_part = structure.parts
    assert routines_part["facts"] == routine_register(cast.administration, this_year).facts
    assert processes_part["facts"] == process_register(cast.administration, this_year).facts
    assert structure.facts["routines_in_force"] == (
        Routine.objects.filter(
            unit__path__startswith=cast.administration.path, current_version__isnull=False
        ).count()
    )
    assert structure.facts["activities_without_routine"] == 3
    (participation,) = report.chapters.get(code="6").parts
    assert participation["facts"] == staff_acknowledgment(cast.administration, this_year).facts
    assert report.chapters.get(code="6").facts["acknowledgment_rate"] is not None
