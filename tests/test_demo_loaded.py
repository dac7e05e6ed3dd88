"""The whole demo as `make run` loads it (manage.py load_demo), loaded once for this module.

Loading it again changes no table; and what the modules' demo data is for is there: the
deviations, the risk analyses, the internal control plans, and case pages that cite the law in
force. Each module's own loader is tested beside the module; this is the demo a newcomer sees.
"""

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actions.models import Action
from deviations.models import Deviation, Track
from internal_control.models import (
    ControlResult,
    InternalControlPlan,
    InternalControlReport,
    Outcome,
    ReportingDate,
)
from internal_control.models import Status as PlanStatus
from legal.rules import TrackKind
from notifications.inbox import sections_for
from risks.models import RiskAnalysis
from risks.models import Status as AnalysisStatus
from routines.models import Routine
from tests.module_data import once_for_the_module
from tests.test_legal_citations import LSS, NEW_SOL, compare


def _load():
    call_command("load_demo", stdout=StringIO())


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    yield from once_for_the_module(django_db_blocker, _load)


@pytest.fixture
def demo(_demo, db):
    """The demo, loaded once for the module; what a test changes is undone after it."""


def _counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _log_in(client, username):
    client.force_login(User.objects.get(username=username), backend="accounts.backends.RoleBackend")
    return client


def test_loading_again_changes_no_table(demo):
    before = _counts()
    _load()
    after = _counts()
    assert {label: (n, after[label]) for label, n in before.items() if after[label] != n} == {}


def test_the_cases_include_one_waiting_for_triage_and_a_serious_one(demo):
    assert Deviation.objects.count() == 5
    assert Deviation.objects.filter(status="reported").exists()
    assert Deviation.objects.filter(tracks__serious=True).exists()


def test_the_risk_analyses_include_the_boards_yearly_one(demo):
    assert RiskAnalysis.objects.count() >= 2
    example = RiskAnalysis.objects.get(is_example=True, subject_kind="staffing_change")
    assert example.status == AnalysisStatus.DECIDED and example.events.count() == 3
    # The board's yearly analysis, which the internal control plan's demo is drafted from.
    yearly = RiskAnalysis.objects.get(is_example=True, subject_kind="yearly")
    assert yearly.status == AnalysisStatus.DECIDED and yearly.events.count() == 5
    assert yearly.unit.name == "Socialförvaltningen"


def test_the_internal_control_plans_of_two_years_and_their_pages(demo, client):
    year = timezone.localdate().year
    plans = {p.year: p for p in InternalControlPlan.objects.all()}
    assert set(plans) == {year - 1, year}
    assert all(p.status == PlanStatus.APPROVED and p.diary_number for p in plans.values())
    report = InternalControlReport.objects.get(plan=plans[year - 1])
    assert report.status == PlanStatus.APPROVED
    assert ControlResult.objects.filter(outcome=Outcome.WITH_REMARK).count() >= 1
    assert Action.objects.filter(source_type__model="controlresult").exists()
    # Its pages, as the unit manager responsible for points and as the board member.
    for username in ("eva", "nils", "karin"):
        _log_in(client, username)
        for plan in plans.values():
            assert client.get(plan.get_absolute_url()).status_code == 200
            for url in ("internal_control:plan_pdf", "internal_control:plan_docx"):
                assert client.get(reverse(url, args=[plan.pk])).status_code == 200
        assert client.get(report.get_absolute_url()).status_code == 200
        for row in ReportingDate.objects.filter(control_point__plan=plans[year]):
            assert client.get(reverse("internal_control:result", args=[row.pk])).status_code == 200
    eva = User.objects.get(username="eva")
    if timezone.localdate() > date(year, 5, 1):  # this year's first reporting date has passed
        overdue = client.get(reverse("internal_control:overdue"))
        assert len(overdue.context["rows"]) >= 1
        assert "internal_control" in {s.key for s in sections_for(eva)}


def test_no_case_page_shows_a_placeholder_or_a_repealed_law(demo, client):
    _log_in(client, "karin")
    pages = 0
    for deviation in Deviation.objects.all():
        for name in ("deviations:detail", "deviations:triage", "deviations:case_pdf"):
            response = client.get(reverse(name, args=[deviation.pk]))
            if response.status_code != 200:
                continue
            pages += 1
            if response["Content-Type"].startswith("text/html"):
                html = response.content.decode()
                assert "ej verifierat" not in html, (name, deviation.reference)
                assert "2001:453" not in html and "14 kap 2–7" not in html
    assert pages >= len(Deviation.objects.all())
    # The demo routines that cite SOSFS 2011:9 show its counterpart in SoL 2025:400.
    routines = Routine.objects.filter(legal_sections__regulation__code="sosfs-2011-9").distinct()
    assert routines
    for routine in routines:
        response = client.get(reverse("routines:detail", args=[routine.pk]))
        assert response.status_code == 200
        assert compare("", "SoL (2025:400) 5 kap 1–2 §§") in response.content.decode()
    sarah = Track.objects.get(kind=TrackKind.LEX_SARAH)
    html = client.get(reverse("deviations:detail", args=[sarah.deviation_id])).content.decode()
    assert NEW_SOL in html and LSS not in html  # Hemtjänst Norr states SoL, not LSS
    assert timezone.localdate(sarah.deviation.reported_at).year >= 2025
