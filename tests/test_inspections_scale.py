"""The scale-data generator: plans, occasions, executions with kept counts that match their
answers, findings of every "nej"; the department manager's pages read a fixed number of
queries; it runs once unless cleared, and never in production."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from inspections.models import Answer, Execution, Finding, InspectionPlan, Occasion
from organisation.models import NodeKind, OrgNode
from organisation.scale_data import BENCH_USERS, ROOT_NAME

UNITS = 4


@pytest.fixture
def generated(db):
    call_command("generate_scale_data", deviations=10, units=UNITS, years=1, seed=7)
    call_command("generate_inspection_scale_data", years=2, seed=3)
    return OrgNode.objects.get(parent=None, name=ROOT_NAME)


def test_plans_executions_and_answers(generated):
    units = OrgNode.objects.filter(path__startswith=generated.path, kind=NodeKind.UNIT).count()
    assert InspectionPlan.objects.count() == units * 2
    done = Occasion.objects.filter(done_on__isnull=False).count()
    assert done == Execution.objects.count() > 0
    sums = Execution.objects.aggregate(
        yes=Sum("n_yes"), partly=Sum("n_partly"), no=Sum("n_no"), na=Sum("n_na")
    )
    replies = Answer.objects.aggregate(
        yes=Count("pk", filter=Q(reply="yes")),
        partly=Count("pk", filter=Q(reply="partly")),
        no=Count("pk", filter=Q(reply="no")),
        na=Count("pk", filter=Q(reply="na")),
    )
    assert sums == replies
    assert Finding.objects.count() == replies["no"]


def test_the_department_managers_pages_read_a_fixed_number_of_queries(generated, client):
    manager = User.objects.get(username=BENCH_USERS["department_manager"])
    client.force_login(manager, backend="accounts.backends.RoleBackend")
    dept = manager.assignments.get().node
    plan = InspectionPlan.objects.filter(unit__path__startswith=dept.path).first()
    urls = [
        reverse("inspections:results") + f"?node={dept.pk}",
        reverse("inspections:plans"),
        reverse("inspections:plan", args=[plan.pk]),
        reverse("inspections:due") + "?state=overdue",
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        assert len(captured) < 25, (url, len(captured))


def test_runs_once_unless_cleared(generated):
    with pytest.raises(CommandError):
        call_command("generate_inspection_scale_data", years=1)
    call_command("generate_inspection_scale_data", years=1, clear=True)
    assert set(InspectionPlan.objects.values_list("year", flat=True)) == {
        max(InspectionPlan.objects.values_list("year", flat=True))
    }


def test_refuses_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("generate_inspection_scale_data")
