import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from accounts.models import User
from organisation.models import NodeKind, OrgNode
from organisation.scale_data import BENCH_USERS, ROOT_NAME, STAFF_PREFIX
from routines.acknowledgments import in_scope
from routines.models import Acknowledgment, Routine, RoutineVersion, VersionState
from routines.scale_data.texts import COMMON_WORD
from routines.search import search
from routines.services.base import search_text
from routines.views.reading import mine_queryset

UNITS = 4


@pytest.fixture
def generated(db):
    call_command("generate_scale_data", deviations=20, units=UNITS, years=1, seed=7)
    call_command(
        "generate_routine_scale_data", organisation=12, per_unit=2, staff_per_unit=2, seed=7
    )
    return OrgNode.objects.get(parent=None, name=ROOT_NAME)


def test_routines_versions_and_search_text(generated):
    routines = Routine.objects.select_related("current_version", "unit")
    assert routines.count() == 12 + 2 * UNITS
    assert routines.filter(unit__kind=NodeKind.UNIT).count() == 2 * UNITS
    for routine in routines:
        versions = list(routine.versions.order_by("number"))
        assert 1 <= len(versions) <= 4
        assert [v.number for v in versions] == list(range(1, len(versions) + 1))
        assert routine.current_version == versions[-1]
        assert versions[-1].state == VersionState.PUBLISHED
        assert all(v.state == VersionState.SUPERSEDED and v.ended_at for v in versions[:-1])
        for older, newer in zip(versions, versions[1:], strict=False):
            assert older.published_at < newer.published_at == older.ended_at
        for version in versions:
            assert version.search_text == search_text(version)
            assert version.transitions.count() == (3 if version.ended_at else 2)
        assert routine.next_review_on is not None
    references = list(routines.values_list("reference", flat=True))
    assert len(set(references)) == len(references)
    connection.check_constraints()


def test_acknowledgments_follow_start_round(generated):
    for routine in Routine.objects.select_related("unit"):
        people = in_scope(routine) if routine.requires_acknowledgment else {}
        for version in routine.versions.all():
            rows = dict(
                Acknowledgment.objects.filter(version=version).values_list("user_id", "unit_id")
            )
            assert rows == people, routine
    acks = Acknowledgment.objects.all()
    assert acks.filter(acknowledged_at__isnull=False).count() > 0.5 * acks.count()
    assert acks.filter(acknowledged_at__isnull=True).exists()
    assert User.objects.filter(username__startswith=STAFF_PREFIX).count() > 2 * UNITS


def test_pages_and_search_find_the_routines(generated, login):
    staff = User.objects.get(username=BENCH_USERS["staff"])
    mine = mine_queryset(staff)
    assert mine.exists()
    assert search(mine, COMMON_WORD).exists()
    client = login(staff)
    assert client.get(reverse("routines:mine"), {"q": COMMON_WORD}).status_code == 200
    assert client.get(reverse("routines:read", args=[mine.first().pk])).status_code == 200
    manager = User.objects.get(username=BENCH_USERS["department_manager"])
    client = login(manager)
    assert client.get(reverse("routines:acknowledgments")).status_code == 200
    assert client.get(reverse("routines:register")).status_code == 200


def test_runs_once_unless_cleared(generated):
    with pytest.raises(CommandError):
        call_command("generate_routine_scale_data", organisation=2, per_unit=1)
    call_command(
        "generate_routine_scale_data", organisation=3, per_unit=1, staff_per_unit=1, clear=True
    )
    assert Routine.objects.count() == 3 + UNITS
    assert RoutineVersion.objects.filter(routine__isnull=True).count() == 0
    connection.check_constraints()
    call_command("generate_routine_scale_data", remove=True)
    assert not Routine.objects.exists() and not Acknowledgment.objects.exists()
    assert not User.objects.filter(username__startswith=STAFF_PREFIX).exists()
    # The deviation data can then be replaced as before.
    call_command("generate_scale_data", deviations=10, units=2, years=1, clear=True)


def test_needs_the_deviation_data_and_refuses_production(db, settings):
    with pytest.raises(CommandError):
        call_command("generate_routine_scale_data")
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("generate_routine_scale_data")
