"""The internal control pages: scope, drafting from the risk analysis, forms, exports."""

import io
import uuid
from datetime import date

import docx
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from internal_control.models import ControlPoint, InternalControlPlan, Status
from tests.internal_control_helpers import (
    add_point,
    approve,
    board_member,
    make_plan,
    method,
    this_year,
    yearly_analysis,
)


def test_the_register_lists_the_plans_the_person_may_see(cast, login):
    mine = make_plan(cast)
    other = make_plan(cast, board=cast.other_root_node, actor=None)
    for user in (cast.quality, cast.manager_a, cast.log_reviewer):
        response = login(user).get(reverse("internal_control:list"))
        assert response.status_code == 200
        assert list(response.context["plans"]) == [mine]
    assert "6 kap. 6 §" in response.content.decode() or "6 kap 6 §" in response.content.decode()
    assert (
        login(cast.quality).get(reverse("internal_control:detail", args=[other.pk])).status_code
        == 404
    )
    assert login(cast.same_unit).get(reverse("internal_control:list")).status_code == 403


def test_the_register_reads_a_fixed_number_of_queries(cast, login):
    client = login(cast.quality)
    make_plan(cast, year=2024)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("internal_control:list"))
    for year in (2025, 2026, 2027, 2028):
        make_plan(cast, year=year)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("internal_control:list"))
    assert len(many) == len(one)


def test_a_board_member_reads_but_cannot_change(cast, login):
    plan = make_plan(cast)
    add_point(plan, cast)
    client = login(board_member(cast))
    page = client.get(reverse("internal_control:detail", args=[plan.pk]))
    assert page.status_code == 200
    assert "Akter granskas" in page.content.decode()
    assert 'id="approve"' not in page.content.decode()
    assert client.get(reverse("internal_control:draft", args=[plan.pk])).status_code == 403
    response = client.post(
        reverse("internal_control:approve", args=[plan.pk]),
        {"decision_paragraph": "1", "diary_number": "SN 1", "decided_on": "2026-01-01"},
    )
    assert response.status_code == 403
    assert client.get(reverse("internal_control:create")).status_code == 403
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


def test_a_double_submit_creates_one_plan(cast, login):
    client = login(cast.quality)
    data = {"board": cast.board.pk, "year": 2031, "form_token": str(uuid.uuid4())}
    first = client.post(reverse("internal_control:create"), data)
    second = client.post(reverse("internal_control:create"), data)
    plan = InternalControlPlan.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == plan.get_absolute_url()


def test_an_invalid_form_keeps_what_was_typed(cast, login):
    plan = make_plan(cast)
    client = login(cast.quality)
    response = client.post(
        reverse("internal_control:point_add", args=[plan.pk]),
        {
            "what": "Delegeringar följs upp",
            "method": method().pk,
            "frequency": "tertial",
            "responsible": cast.manager_a.pk,
            "reporting_dates": "30 april",
            "form_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Delegeringar följs upp"' in html
    assert "2026-04-30" in str(response.context["form"].errors["reporting_dates"])
    assert not ControlPoint.objects.exists()


def test_the_plan_is_drafted_from_the_risk_analysis(cast, login):
    analysis = yearly_analysis(cast)
    plan = make_plan(cast)
    client = login(cast.quality)
    page = client.get(reverse("internal_control:draft", args=[plan.pk]))
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r.event.value for r in rows] == [12, 8, 4, 1]
    assert [r.initial["chosen"] for r in rows] == [True, True, False, False]
    data = {"analysis": analysis.pk}
    for row in rows:
        prefix = row.prefix
        if row.initial["chosen"] or row.event.value == 4:
            data[f"{prefix}-chosen"] = "on"
        data[f"{prefix}-what"] = row.initial["what"]
        data[f"{prefix}-method"] = method().pk
        data[f"{prefix}-frequency"] = "tertial"
        data[f"{prefix}-responsible"] = cast.manager_a.pk
    response = client.post(reverse("internal_control:draft", args=[plan.pk]), data)
    assert response.status_code == 302
    values = list(plan.control_points.order_by("position").values_list("risk_value", flat=True))
    assert values == [12, 8, 4]


def _approved_plan(cast):
    plan = make_plan(cast)
    add_point(plan, cast, what="Genomförandeplaner granskas")
    approve(plan)
    return plan


def test_the_exports_hold_the_control_points(cast, login):
    plan = _approved_plan(cast)
    client = login(board_member(cast))
    pdf = client.get(reverse("internal_control:plan_pdf", args=[plan.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    response = client.get(reverse("internal_control:plan_docx", args=[plan.pk]))
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Genomförandeplaner granskas" in cells
    assert "SN 2026/123" in text and "45" in text
    assert "Kommunen" in text


def test_the_result_form_records_a_remark_with_its_action(cast, login):
    plan = _approved_plan(cast)
    row = plan.control_points.get().reporting_dates.first()
    url = reverse("internal_control:result", args=[row.pk])
    reader = login(cast.parent_manager)  # not responsible: reads, cannot record
    assert "result_submit" not in reader.get(url).content.decode().replace("-", "_")
    assert reader.post(url, {"outcome": "without_remark"}).status_code == 403
    client = login(cast.manager_a)
    assert client.get(url).status_code == 200
    token = str(uuid.uuid4())
    data = {
        "outcome": "with_remark",
        "comment": "Tre akter saknade uppföljning",
        "form_token": token,
    }
    kept = client.post(url, data)
    assert kept.status_code == 200
    assert "Tre akter saknade uppföljning" in kept.content.decode()
    data.update(
        {
            "action_title": "Följ upp akterna",
            "action_unit": cast.unit_a.pk,
            "action_owner": cast.manager_a.pk,
            "action_due_date": date(this_year() + 1, 1, 31).isoformat(),
        }
    )
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 200  # sent again: the recorded result
    assert Action.objects.filter(title="Följ upp akterna").count() == 1
    report_url = reverse("internal_control:report_create", args=[plan.pk])
    response = login(cast.quality).post(
        report_url, {"period": "year", "summary": "", "form_token": str(uuid.uuid4())}
    )
    report = plan.reports.get()
    assert response["Location"] == report.get_absolute_url()
    docx_response = login(cast.quality).get(
        reverse("internal_control:report_docx", args=[report.pk])
    )
    document = docx.Document(io.BytesIO(docx_response.content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Tre akter saknade uppföljning" in cells
    assert any("Följ upp akterna" in c for c in cells)
    pdf = login(cast.quality).get(reverse("internal_control:report_pdf", args=[report.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_a_control_point_is_edited_with_the_version_check(cast, login):
    plan = make_plan(cast)
    point = add_point(plan, cast)
    client = login(cast.quality)
    url = reverse("internal_control:point_edit", args=[point.pk])
    form = client.get(url).context["form"]
    data = {
        "what": "Akter granskas varje tertial",
        "method": method("review").pk,
        "frequency": "tertial",
        "responsible": cast.manager_a.pk,
        "reporting_dates": f"{plan.year}-04-30, {plan.year}-08-31",
        "record_version": form["record_version"].value(),
    }
    # A colleague changes the point in between: nothing is written, the typed values stay.
    from internal_control.services.plans import update_control_point

    update_control_point(
        point,
        actor=None,
        what="Kollegans ändring",
        method=method(),
        frequency="once",
        responsible=cast.manager_a,
        reporting_dates=[date(plan.year, 5, 1)],
    )
    conflict = client.post(url, data)
    assert conflict.status_code == 409
    assert "Akter granskas varje tertial" in conflict.content.decode()
    data["record_version"] = conflict.context["form"]["record_version"].value()
    assert client.post(url, data).status_code == 302
    point.refresh_from_db()
    assert point.what == "Akter granskas varje tertial" and point.method.code == "review"
    dates = list(point.reporting_dates.values_list("due_on", flat=True))
    assert dates == [date(plan.year, 4, 30), date(plan.year, 8, 31)]
    approve(plan)
    assert client.get(url).status_code == 302  # approved: no more changes


def test_the_plan_page_reads_a_fixed_number_of_queries(cast, login):
    plan = make_plan(cast)
    add_point(plan, cast)
    client = login(cast.manager_a)
    url = reverse("internal_control:detail", args=[plan.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(5):
        add_point(plan, cast, what=f"Moment {i}")
    approve(plan)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["points"]) == 6
    assert len(many) <= len(one) + 1  # the approved plan's history
