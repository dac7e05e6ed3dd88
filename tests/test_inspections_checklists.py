"""Checklists shared down the tree and adapted locally with the change recorded; the sample
drawn from a pasted or uploaded list on the page; a finding closed with a reason."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.models import ChecklistTemplate, Finding, Sample, TemplateChange
from inspections.services.execution import start_execution
from inspections.services.sample import draw, parse_population
from tests.inspections_helpers import execute, manager_b, method, plan_item, template

pytestmark = pytest.mark.django_db


def test_a_departments_checklist_is_used_below_and_a_units_stays_in_the_unit(cast, login):
    shared = template(cast, title="Avdelningens lista")
    own_b = template(cast, node=cast.unit_b, title="Enhet B:s lista")
    client = login(cast.manager_a)
    html = client.get(reverse("inspections:templates")).content.decode()
    assert "Avdelningens lista" in html and "Enhet B:s lista" not in html
    assert client.get(reverse("inspections:template", args=[own_b.pk])).status_code == 404
    # Unit A may not change the department's list: it adapts it.
    page = client.get(reverse("inspections:template", args=[shared.pk])).content.decode()
    assert 'id="template-adapt"' in page and 'id="question-add"' not in page
    assert client.get(reverse("inspections:question_add", args=[shared.pk])).status_code == 403


def test_adapting_and_changing_a_question_is_recorded(cast, login):
    shared = template(cast)
    client = login(cast.manager_a)
    token = str(uuid.uuid4())
    for _ in range(2):
        response = client.post(
            reverse("inspections:template_adapt", args=[shared.pk]),
            {"unit": cast.unit_a.pk, "reason": "Vår hemtjänst", "form_token": token},
        )
        assert response.status_code == 302
    copy = ChecklistTemplate.objects.get(parent=shared)
    question = copy.questions.order_by("order").first()
    edit = reverse("inspections:question_edit", args=[question.pk])
    form = client.get(edit).context["form"]
    response = client.post(
        edit,
        {
            "text": "Finns en aktuell genomförandeplan?",
            "guidance": "",
            "reason": "Vi granskar aktualitet",
            "record_version": form["record_version"].value(),
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("inspections:question_remove", args=[copy.questions.order_by("order")[2].pk])
    )
    assert response.status_code == 302
    kinds = list(TemplateChange.objects.filter(template=copy).values_list("kind", flat=True))
    assert kinds == ["adapted", "changed", "removed"]
    page = client.get(copy.get_absolute_url()).content.decode()
    assert 'id="template-changes"' in page and "Vi granskar aktualitet" in page
    assert copy.questions.filter(is_active=True).count() == 2


def test_an_invalid_checklist_form_keeps_what_was_typed(cast, login):
    client = login(cast.manager_a)
    response = client.post(
        reverse("inspections:template_create"),
        {
            "unit": cast.unit_a.pk,
            "title": "Min lista",
            "method": method().pk,
            "questions": "   ",
            "form_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert 'value="Min lista"' in response.content.decode()
    assert not ChecklistTemplate.objects.exists()


def test_the_sample_is_drawn_from_an_uploaded_list_on_the_page(cast, login):
    item = plan_item(cast)
    execution = start_execution(actor=cast.manager_a, occasion=item.occasions.first())
    client = login(cast.manager_a)
    upload = SimpleUploadedFile("akter.csv", b"DNR-1;DNR-2\nDNR-3\nDNR-4\nDNR-5\n", "text/csv")
    response = client.post(
        reverse("inspections:sample_draw", args=[execution.pk]),
        {"population": "DNR-6", "size": 3, "seed": 99, "upload": upload},
    )
    assert response.status_code == 302
    sample = Sample.objects.get(execution=execution)
    assert sample.seed == 99
    assert sample.drawn == draw(parse_population("DNR-6\nDNR-1;DNR-2\nDNR-3\nDNR-4\nDNR-5"), 3, 99)
    page = client.get(execution.get_absolute_url()).content.decode()
    assert all(record in page for record in sample.drawn)
    # A list with a personal identity number is refused, and the list stays in the form.
    other = start_execution(actor=cast.manager_a, occasion=plan_item(cast).occasions.first())
    response = client.post(
        reverse("inspections:sample_draw", args=[other.pk]),
        {"population": "DNR-1\n19121212-1212", "size": 1},
    )
    assert response.status_code == 400
    assert "DNR-1" in response.content.decode()
    assert not Sample.objects.filter(execution=other).exists()


def test_a_finding_is_closed_with_a_reason_on_the_page(cast, login):
    execution = execute(cast, ["no", "yes", "yes"])
    finding = Finding.objects.get(execution=execution)
    client = login(cast.manager_a)
    url = reverse("inspections:finding_close", args=[finding.pk])
    client.post(url, {"reason": ""})
    finding.refresh_from_db()
    assert finding.state == "open"
    client.post(url, {"reason": "Rättat på plats"})
    finding.refresh_from_db()
    assert finding.state == "closed"
    # Another unit's manager cannot reach it.
    assert login(manager_b(cast)).post(url, {"reason": "x"}).status_code == 404
