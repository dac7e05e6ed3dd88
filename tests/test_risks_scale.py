"""The risks' scale data on a small benchmark organisation, the register's query count on it,
and the bench lines."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actions.models import Action
from organisation.models import NodeKind, OrgNode
from organisation.scale_data import BENCH_USERS, find_root
from risks import report_figures
from risks.models import RiskAnalysis, RiskEvent


@pytest.fixture
def scale(db):
    call_command("generate_scale_data", deviations=20, units=6, years=1, seed=3)
    call_command("generate_risks_scale_data", per_year=2, years=5, seed=5)
    return find_root()


def test_five_years_of_analyses_per_unit_with_events_and_measures(scale):
    units = OrgNode.objects.filter(path__startswith=scale.path, kind=NodeKind.UNIT).count()
    assert RiskAnalysis.objects.count() == units * 2 * 5
    assert RiskEvent.objects.count() == units * 2 * 5 * 3
    assert Action.objects.filter(title="Åtgärd efter riskanalys").count() == units * 10
    year = timezone.localdate().year
    made = report_figures.analyses_made(scale, year - 2)
    assert made.total == units * 2
    assert report_figures.measures(scale, year - 2)["done"] == units * 2
    with pytest.raises(CommandError):
        call_command("generate_risks_scale_data", per_year=1, years=1)
    call_command("generate_risks_scale_data", per_year=1, years=1, clear=True)
    assert RiskAnalysis.objects.count() == units


def test_the_register_reads_a_fixed_number_of_queries_and_the_bench_lines_run(scale, client):
    from bench.risks import lines

    client.force_login(User.objects.get(username=BENCH_USERS["department_manager"]))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("risks:register"))
    assert page.status_code == 200 and page.context["page"].paginator.count > 0
    assert len(queries) <= 15
    measured = []

    def measure(name, call, n, warmup):
        measured.append((name, call().status_code))

    def client_for(username):
        c = Client()
        c.force_login(User.objects.get(username=username))
        return c

    lines(measure, client_for, 1, 0)
    assert [m[0] for m in measured][:1] == ["risk register, department manager"]
    assert {status for _name, status in measured} == {200}
