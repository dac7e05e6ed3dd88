"""The figures for the yearly report: planned vs done, compliance, findings and their actions,
per node's subtree and year."""

import datetime

import pytest
from django.utils import timezone

from inspections import report_figures
from inspections.models import Finding, Occasion
from inspections.services.checklist import adapt_template
from inspections.services.finding import close_finding, make_action
from tests.inspections_helpers import execute, plan_item, template

pytestmark = pytest.mark.django_db


def test_the_years_figures_for_a_department_and_a_unit(cast):
    year = timezone.localdate().year
    checklist = template(cast)
    item_a = plan_item(cast, checklist)
    execute(cast, ["yes", "no", "no"], item=item_a)
    copy = adapt_template(checklist, actor=None, unit=cast.unit_b)
    item_b = plan_item(cast, copy, unit=cast.unit_b, responsible=cast.parent_manager)
    Occasion.objects.filter(item=item_b).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    plan_item(cast, checklist, unit=cast.unit_b, responsible=cast.parent_manager)
    execute(cast, ["yes", "yes", "partly"], item=item_b)
    finding_1, finding_2 = Finding.objects.order_by("pk")
    make_action(
        finding_1,
        actor=None,
        title="Åtgärd",
        owner=cast.manager_a,
        due_date=timezone.localdate() + datetime.timedelta(days=9),
    )
    close_finding(finding_2, actor=None, reason="Rättat på plats")

    dept = report_figures.year_summary(cast.dept, year)
    assert dept["occasions"]["planned"] == 3
    assert dept["occasions"]["done"] == 2
    assert dept["executions"] == 2
    assert dept["answers"] == {"yes": 3, "partly": 1, "no": 2, "na": 0}
    assert dept["compliance"] == pytest.approx(3 / 6)
    assert dept["by_checklist"] == [
        {"checklist": checklist.title, "executions": 2, "compliance": pytest.approx(0.5)}
    ]
    assert dept["findings"]["findings"] == 2
    assert dept["findings"]["with_action"] == 1 and dept["findings"]["closed"] == 1
    assert dept["findings"]["actions_open"] == 1

    unit_a = report_figures.year_summary(cast.unit_a, year)
    assert unit_a["compliance"] == pytest.approx(1 / 3)
    assert unit_a["occasions"]["planned"] == 1
    assert report_figures.year_summary(cast.unit_a, year - 1)["compliance"] is None
