"""The internal control's scale data on a small benchmark organisation, and the bench lines."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from accounts.models import User
from bench.internal_control import lines
from internal_control import report_figures
from internal_control.models import ControlPoint, InternalControlPlan
from organisation.scale_data import find_root


@pytest.fixture
def scale(db):
    call_command("generate_scale_data", deviations=20, units=6, years=1, seed=3)
    call_command("generate_internal_control_scale_data", years=3, points=10, seed=5)
    return find_root()


def test_one_plan_a_year_with_points_and_results(scale):
    assert InternalControlPlan.objects.filter(board=scale).count() == 3
    assert ControlPoint.objects.count() == 30
    year = InternalControlPlan.objects.order_by("year").first().year
    assert report_figures.control_points_planned(scale, year) == 10
    assert sum(report_figures.results_by_outcome(scale, year).values()) > 20
    with pytest.raises(CommandError):
        call_command("generate_internal_control_scale_data", years=1)
    call_command("generate_internal_control_scale_data", years=1, points=2, clear=True)
    assert ControlPoint.objects.count() == 2


def test_the_bench_lines_run(scale):
    measured = []

    def client_for(username):
        client = Client()
        client.force_login(User.objects.get(username=username), "accounts.backends.RoleBackend")
        return client

    def measure(name, call, n, warmup):
        response = call()
        assert response.status_code == 200, name
        measured.append(name)

    lines(measure, client_for, 1, 0)
    assert len(measured) == 3
