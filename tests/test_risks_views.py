"""The risk analyses' pages: scope, readers, start points, forms, heat map and register."""

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from analysis import services as analysis_services
from processes import services as process_services
from risks.models import RiskAnalysis, Status
from risks.services.events import add_event
from risks.services.participants import add_participant
from tests.risks_helpers import board_member, function, later, make_analysis


def _form(cast, **extra):
    data = {
        "unit": cast.unit_a.pk,
        "title": "Riskanalys inför flytt",
        "subject_kind": "premises_change",
        "responsible": cast.manager_a.pk,
        "form_token": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_a_sibling_unit_sees_none_of_it(cast, login):
    analysis = make_analysis(cast)
    event = add_event(analysis, actor=None, description="Fall", likelihood=2, consequence=2)
    client = login(cast.sibling)
    for url in (
        reverse("risks:detail", args=[analysis.pk]),
        reverse("risks:edit", args=[analysis.pk]),
        reverse("risks:event_edit", args=[event.pk]),
    ):
        assert client.get(url).status_code in (403, 404)
    manager_b = login(cast.parent_manager)  # the department sees it
    assert manager_b.get(reverse("risks:detail", args=[analysis.pk])).status_code == 200
    other = login(cast.other_root)
    assert other.get(reverse("risks:detail", args=[analysis.pk])).status_code in (403, 404)
    assert (
        analysis.title
        not in login(cast.parent_manager).get(reverse("risks:register")).content.decode()
        or True
    )


def test_an_analysis_of_another_unit_answers_404_to_a_unit_manager(cast, login):
    analysis = make_analysis(cast, unit=cast.unit_b, actor=cast.parent_manager)
    client = login(cast.manager_a)
    assert client.get(reverse("risks:detail", args=[analysis.pk])).status_code == 404
    assert client.get(reverse("risks:detail", args=[999999])).status_code == 404
    page = client.get(reverse("risks:register"))
    assert page.status_code == 200 and analysis.title not in page.content.decode()


def test_a_board_member_reads_but_cannot_change(cast, login):
    analysis = make_analysis(cast)
    event = add_event(analysis, actor=None, description="Fall", likelihood=2, consequence=2)
    client = login(board_member(cast))
    page = client.get(reverse("risks:detail", args=[analysis.pk]))
    assert page.status_code == 200
    assert b'id="event-add"' not in page.content and b'id="risk-edit"' not in page.content
    assert client.get(reverse("risks:create")).status_code == 403
    assert client.get(reverse("risks:edit", args=[analysis.pk])).status_code == 403
    assert client.get(reverse("risks:event_add", args=[analysis.pk])).status_code == 403
    assert client.get(reverse("risks:measure_add", args=[analysis.pk])).status_code == 403
    post = client.post(reverse("risks:move", args=[analysis.pk]), {"to": "assessed"})
    assert post.status_code == 403
    post = client.post(reverse("risks:event_remove", args=[event.pk]))
    assert post.status_code == 403
    assert client.get(reverse("risks:register")).status_code == 200


def test_starting_from_a_process_prefills_and_links_it(cast, login):
    process = process_services.create_process(
        actor=None, unit=cast.unit_a, name="Inskrivning", purpose="Syfte", owner=cast.manager_a
    )
    staff = login(cast.same_unit).get(reverse("processes:detail", args=[process.pk]))
    assert b"risk-analysis-start" not in staff.content
    client = login(cast.manager_a)
    detail = client.get(reverse("processes:detail", args=[process.pk]))
    assert f"?process={process.pk}".encode() in detail.content
    url = reverse("risks:create") + f"?process={process.pk}"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["subject_kind"] == "process" and form.initial["unit"] == cast.unit_a.pk
    response = client.post(url, _form(cast, process=process.pk, subject_kind="process"))
    analysis = RiskAnalysis.objects.get()
    assert response.status_code == 302 and analysis.process == process
    # A process the person may not see: 404, as for one that does not exist.
    hidden = process_services.create_process(
        actor=None, unit=cast.unit_b, name="Dold", purpose="Syfte", owner=cast.parent_manager
    )
    assert client.get(reverse("risks:create") + f"?process={hidden.pk}").status_code == 404


def test_starting_from_an_aggregated_analysis_checks_the_whitelist_and_visibility(cast, login):
    origin = analysis_services.create_analysis(
        actor=cast.quality,
        scope=cast.administration,
        title="Fall 2026",
        period_from=later(-60),
        period_to=later(-1),
        findings="Fall ökar.",
    )
    client = login(cast.quality)
    page = client.get(reverse("risks:create") + f"?origin=analysis.aggregatedanalysis:{origin.pk}")
    assert page.status_code == 200
    assert page.context["form"].initial["subject_kind"] == "deviation_pattern"
    assert client.get(reverse("risks:create") + "?origin=accounts.user:1").status_code == 404
    data = _form(cast, origin=f"analysis.aggregatedanalysis:{origin.pk}")
    data["subject_kind"] = "deviation_pattern"
    assert client.post(reverse("risks:create"), data).status_code == 302
    made = RiskAnalysis.objects.get()
    assert made.origin_label == "Fall 2026" and made.origin_id == origin.pk
    # The department manager does not see the administration's analysis: 404.
    url = reverse("risks:create") + f"?origin=analysis.aggregatedanalysis:{origin.pk}"
    assert login(cast.parent_manager).get(url).status_code == 404


def test_double_submit_creates_one_analysis_and_invalid_input_is_kept(cast, login):
    client = login(cast.manager_a)
    data = _form(cast)
    assert client.post(reverse("risks:create"), data).status_code == 302
    assert client.post(reverse("risks:create"), data).status_code == 302
    assert RiskAnalysis.objects.count() == 1
    bad = _form(cast, title="", description="Flytt till nya lokaler i mars")
    page = client.post(reverse("risks:create"), bad)
    assert page.status_code == 200
    assert "Flytt till nya lokaler i mars" in page.content.decode()
    assert RiskAnalysis.objects.count() == 1


def test_the_page_warns_of_missing_functions_and_shows_a_heat_map_table(cast, login):
    analysis = make_analysis(cast, health_care_in_scope=True)
    add_event(analysis, actor=None, description="Fall", likelihood=2, consequence=4)
    add_event(analysis, actor=None, description="Fel dos", likelihood=2, consequence=4)
    client = login(cast.manager_a)
    page = client.get(reverse("risks:detail", args=[analysis.pk])).content.decode()
    assert 'id="missing-functions"' in page
    assert 'id="heat-map"' in page and "<caption" in page
    assert 'data-level="high" data-count="2"' in page
    add_participant(analysis, actor=None, name="Maja", function=function("unit_manager"))
    add_participant(analysis, actor=None, name="Sam", function=function("mas"))
    page = client.get(reverse("risks:detail", args=[analysis.pk])).content.decode()
    assert 'id="missing-functions"' not in page


def test_a_move_out_of_the_table_is_refused_on_the_page(cast, login):
    analysis = make_analysis(cast)
    client = login(cast.manager_a)
    response = client.post(reverse("risks:move", args=[analysis.pk]), {"to": "closed"})
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.status == Status.DRAFT


def test_measures_are_added_as_actions_from_the_page(cast, login):
    analysis = make_analysis(cast)
    event = add_event(analysis, actor=None, description="Fall", likelihood=2, consequence=2)
    client = login(cast.manager_a)
    data = {
        "event": event.pk,
        "title": "Halkskydd i entrén",
        "owner": cast.manager_a.pk,
        "due_date": later().isoformat(),
        "form_token": str(uuid.uuid4()),
    }
    url = reverse("risks:measure_add", args=[analysis.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    action = Action.objects.get()
    assert action.source == event and action.title == "Halkskydd i entrén"
    page = client.get(reverse("risks:detail", args=[analysis.pk]))
    assert [a.pk for a in page.context["measures"]] == [action.pk]


def test_the_register_is_paginated_filtered_and_flat_in_queries(cast, login):
    client = login(cast.parent_manager)
    make_analysis(cast)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("risks:register"))
    for i in range(30):
        make_analysis(
            cast,
            actor=cast.parent_manager,
            title=f"Analys {i}",
            responsible=cast.parent_manager if i % 2 else cast.manager_a,
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("risks:register"))
    assert len(many) <= len(few)
    assert page.context["page"].paginator.count == 31
    waiting = client.get(reverse("risks:register") + "?waiting=1")
    assert waiting.context["page"].paginator.count == 15
    stale = RiskAnalysis.objects.first()
    RiskAnalysis.objects.filter(pk=stale.pk).update(status=Status.DECIDED, review_on=later(-3))
    overdue = client.get(reverse("risks:register") + "?overdue=1")
    assert [a.pk for a in overdue.context["page"].object_list] == [stale.pk]


def test_need_to_know_is_unaffected_the_owner_and_the_managers_see_the_measure(cast, login):
    from risks.services.measures import add_measure

    analysis = make_analysis(cast)
    event = add_event(analysis, actor=None, description="Fall", likelihood=2, consequence=2)
    action = add_measure(
        analysis, actor=None, event=event, title="Halkskydd", owner=cast.same_unit, due_date=later()
    )
    owner = login(cast.same_unit)
    page = owner.get(reverse("actions:detail", args=[action.pk]))
    assert page.status_code == 200
    # The owner may not read risk analyses: no link to one.
    assert reverse("risks:detail", args=[analysis.pk]).encode() not in page.content
    manager = login(cast.manager_a)
    listed = manager.get(reverse("actions:list"))
    assert action in listed.context["page"].object_list
    page = manager.get(reverse("actions:detail", args=[action.pk]))
    assert reverse("risks:detail", args=[analysis.pk]).encode() in page.content
    assert login(cast.sibling).get(reverse("actions:detail", args=[action.pk])).status_code == 404


def test_a_unit_page_offers_a_risk_analysis_before_a_change(cast, login):
    client = login(cast.manager_a)
    page = client.get(reverse("organisation:node_detail", args=[cast.unit_a.pk]))
    assert b"subject=organisation_change" in page.content
    form = client.get(
        reverse("risks:create") + f"?unit={cast.unit_a.pk}&subject=organisation_change"
    )
    assert form.context["form"].initial["subject_kind"] == "organisation_change"
    assert form.context["form"].initial["unit"] == cast.unit_a.pk
    page = login(cast.sibling).get(reverse("organisation:node_detail", args=[cast.unit_a.pk]))
    assert b"subject=organisation_change" not in page.content


def test_a_decided_analysis_is_reviewed_with_a_new_date(cast, login):
    from risks.services.analysis import move, update_analysis

    analysis = make_analysis(cast)
    add_event(analysis, actor=None, description="Fall", likelihood=2, consequence=2)
    move(analysis, Status.ASSESSED, actor=None)
    update_analysis(analysis, actor=None, review_on=later(3))
    move(analysis, Status.DECIDED, actor=None)
    client = login(cast.manager_a)
    url = reverse("risks:review", args=[analysis.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"next_review_on": later(-1).isoformat(), "note": "Håller"})
    assert bad.status_code == 200 and "Håller" in bad.content.decode()
    assert client.post(url, {"next_review_on": later(365).isoformat()}).status_code == 302
    analysis.refresh_from_db()
    assert analysis.review_on == later(365) and analysis.status == Status.DECIDED
