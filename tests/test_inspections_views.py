"""The pages: a unit manager plans, carries out and acts; scope (a sibling unit's manager gets
404, a board member reads but never changes: 403); forms keep what was typed; a double submit
creates one record; the lists read a fixed number of queries."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from inspections.models import ChecklistTemplate, Execution, Finding, InspectionPlan, PlanItem
from tests.inspections_helpers import board_member, execute, manager_b, plan_item, template

pytestmark = pytest.mark.django_db


def _objects(cast):
    checklist = template(cast, node=cast.unit_a)
    item = plan_item(cast, checklist)
    execution = execute(cast, ["yes", "no", "na"], item=item)
    return checklist, item, execution, Finding.objects.get(execution=execution)


def _read_urls(checklist, item, execution):
    return [
        reverse("inspections:plan", args=[item.plan_id]),
        reverse("inspections:template", args=[checklist.pk]),
        reverse("inspections:execution", args=[execution.pk]),
    ]


def test_the_manager_sees_every_page(cast, login):
    checklist, item, execution, finding = _objects(cast)
    client = login(cast.manager_a)
    pages = _read_urls(checklist, item, execution) + [
        reverse("inspections:plans"),
        reverse("inspections:due"),
        reverse("inspections:templates"),
        reverse("inspections:results") + f"?node={cast.unit_a.pk}&template={checklist.pk}",
        reverse("inspections:results"),
        reverse("inspections:plan_create"),
        reverse("inspections:item_add", args=[item.plan_id]),
        reverse("inspections:template_create"),
        reverse("inspections:question_add", args=[checklist.pk]),
        reverse("inspections:question_edit", args=[checklist.questions.first().pk]),
        reverse("inspections:finding_action", args=[finding.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(reverse("inspections:results") + f"?node={cast.unit_a.pk}").content.decode()
    assert 'id="compliance-chart"' in html and 'data-value="50"' in html  # 1 yes, 1 no
    assert "50&nbsp;%" in html


def test_a_sibling_units_manager_sees_none_of_it(cast, login):
    checklist, item, execution, finding = _objects(cast)
    client = login(manager_b(cast))
    for url in _read_urls(checklist, item, execution) + [
        reverse("inspections:finding_action", args=[finding.pk]),
        reverse("inspections:item_add", args=[item.plan_id]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("inspections:finding_close", args=[finding.pk])).status_code == 404
    assert str(item.subject) not in client.get(reverse("inspections:plans")).content.decode()
    assert "data-pk" not in client.get(reverse("inspections:due")).content.decode()


def test_a_board_member_reads_but_cannot_change(cast, login):
    checklist, item, execution, finding = _objects(cast)
    client = login(board_member(cast))
    for url in _read_urls(checklist, item, execution):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("inspections:results")).status_code == 200
    refused = [
        ("get", reverse("inspections:plan_create")),
        ("get", reverse("inspections:item_add", args=[item.plan_id])),
        ("get", reverse("inspections:finding_action", args=[finding.pk])),
        ("post", reverse("inspections:finding_close", args=[finding.pk])),
        ("post", reverse("inspections:execution", args=[execution.pk])),
        ("post", reverse("inspections:execution_start", args=[item.occasions.first().pk])),
        ("get", reverse("inspections:template_create")),
    ]
    for method, url in refused:
        assert getattr(client, method)(url).status_code == 403, url
    html = client.get(reverse("inspections:execution", args=[execution.pk])).content.decode()
    assert "finding_close" not in html and 'id="answers-form"' not in html


def test_an_invalid_item_form_keeps_what_was_typed(cast, login):
    checklist = template(cast)
    plan_item(cast, checklist)
    plan = InspectionPlan.objects.get()
    client = login(cast.manager_a)
    response = client.post(
        reverse("inspections:item_add", args=[plan.pk]),
        {
            "template": checklist.pk,
            "subject": "Kontroll av planerna",
            "frequency": "quarterly",
            "responsible": cast.manager_a.pk,
            "first_due": f"{plan.year - 1}-03-01",  # outside the plan's year
            "form_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Kontroll av planerna"' in html
    assert PlanItem.objects.count() == 1


def test_a_double_submit_creates_one_record(cast, login):
    checklist = template(cast)
    plan_item(cast, checklist)
    plan = InspectionPlan.objects.get()
    client = login(cast.manager_a)
    data = {
        "template": checklist.pk,
        "subject": "Två gånger",
        "frequency": "half_yearly",
        "responsible": cast.manager_a.pk,
        "first_due": f"{plan.year}-02-01",
        "form_token": str(uuid.uuid4()),
    }
    for _ in range(2):
        assert client.post(reverse("inspections:item_add", args=[plan.pk]), data).status_code == 302
    item = PlanItem.objects.get(subject="Två gånger")
    assert item.occasions.count() == 2
    occasion = item.occasions.first()
    start = {"performed_on": timezone.localdate().isoformat(), "form_token": str(uuid.uuid4())}
    for _ in range(2):
        client.post(reverse("inspections:execution_start", args=[occasion.pk]), start)
    assert Execution.objects.filter(occasion=occasion).count() == 1


def test_the_manager_carries_out_and_acts_on_a_no(cast, login):
    checklist = template(cast)
    item = plan_item(cast, checklist)
    client = login(cast.manager_a)
    occasion = item.occasions.first()
    response = client.post(
        reverse("inspections:execution_start", args=[occasion.pk]),
        {"performed_on": timezone.localdate().isoformat(), "form_token": str(uuid.uuid4())},
    )
    execution = Execution.objects.get()
    assert response["Location"] == execution.get_absolute_url()
    questions = list(checklist.questions.order_by("order"))
    answers = {f"reply-{questions[0].pk}": "yes", f"reply-{questions[1].pk}": "no"}
    answers[f"comment-{questions[1].pk}"] = "Två planer saknar uppföljning"
    # Completing with a question unanswered: refused, and what was typed is kept.
    response = client.post(execution.get_absolute_url(), {**answers, "complete": "1"})
    assert response.status_code == 400
    assert "Två planer saknar uppföljning" in response.content.decode()
    answers[f"reply-{questions[2].pk}"] = "na"
    response = client.post(execution.get_absolute_url(), {**answers, "complete": "1"})
    assert response.status_code == 302
    execution.refresh_from_db()
    assert (execution.n_yes, execution.n_no, execution.n_na) == (1, 1, 1)
    finding = Finding.objects.get(execution=execution)
    response = client.post(
        reverse("inspections:finding_action", args=[finding.pk]),
        {
            "title": "Följ upp planerna",
            "owner": cast.manager_a.pk,
            "due_date": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
            "form_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.source == finding
    html = client.get(execution.get_absolute_url()).content.decode()
    assert reverse("actions:detail", args=[action.pk]) in html
    # The action page offers to hand its effect check to a self-inspection.
    html = client.get(action.get_absolute_url()).content.decode()
    assert reverse("inspections:follow_up", args=[action.pk]) in html
    response = client.post(
        reverse("inspections:follow_up", args=[action.pk]), {"question": questions[1].pk}
    )
    assert response.status_code == 302
    html = client.get(action.get_absolute_url()).content.decode()
    assert 'id="effect-elsewhere"' in html and questions[1].text in html
    assert reverse("inspections:follow_up", args=[action.pk]) not in html


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_read_a_fixed_number_of_queries(cast, login):
    checklist = template(cast)
    client = login(cast.parent_manager)
    urls = [
        reverse("inspections:plans"),
        reverse("inspections:due"),
        reverse("inspections:results") + f"?node={cast.dept.pk}&template={checklist.pk}",
        reverse("inspections:templates"),
    ]
    plan_item(cast, checklist)
    execute(cast, ["yes", "no", "na"], item=PlanItem.objects.get())
    few = [_count_queries(client, url) for url in urls]
    for unit, who in ((cast.unit_b, cast.parent_manager), (cast.unit_a, cast.manager_a)):
        for _ in range(3):
            item = plan_item(cast, checklist, unit=unit, responsible=who)
            execute(cast, ["yes", "partly", "no"], item=item, occasion=item.occasions.first())
    many = [_count_queries(client, url) for url in urls]
    assert many == few
    assert ChecklistTemplate.objects.count() == 1


def test_the_manager_changes_the_responsible_person_with_the_version_token(cast, login):
    item = plan_item(cast)
    url = reverse("inspections:item_edit", args=[item.pk])
    client = login(cast.parent_manager)
    form = client.get(url).context["form"]
    data = {
        "subject": "Hygienronden",
        "responsible": cast.parent_manager.pk,
        "sample_size": "",
        "record_version": form["record_version"].value(),
    }
    # A colleague saves first: the page comes back with both versions, nothing overwritten.
    from inspections.services.plan import update_item

    update_item(
        item, actor=None, subject="Annat namn", responsible=cast.manager_a, sample_size=None
    )
    assert client.post(url, data).status_code == 409
    item.refresh_from_db()
    assert item.subject == "Annat namn"
    data["record_version"] = client.get(url).context["form"]["record_version"].value()
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.subject, item.responsible) == ("Hygienronden", cast.parent_manager)
    assert login(board_member(cast)).get(url).status_code == 403
    assert login(manager_b(cast)).get(url).status_code == 404
