"""The process register's pages: register, detail, forms, activities and collaboration."""

import uuid

from django.urls import reverse

from processes import services
from processes.models import Activity, Collaboration, Process
from tests.test_processes_makers import make_process, make_routine, published


def _form(process=None, **extra):
    data = {
        "name": "Inskrivning",
        "purpose": "Att brukaren får en trygg start.",
        "form_token": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def _add(process, name):
    return services.add_activity(
        process, actor=process.owner, name=name, responsible_note="Kontaktperson"
    )


# -- visibility ------------------------------------------------------------------------------


def test_unit_process_is_hidden_from_the_sibling_unit(cast, login):
    process = make_process(cast)
    url = reverse("processes:detail", args=[process.pk])
    assert login(cast.same_unit).get(url).status_code == 200
    assert login(cast.sibling).get(url).status_code == 404
    assert login(cast.other_root).get(url).status_code == 404
    assert login(cast.outsider).get(url).status_code in (403, 404)
    assert login(cast.sibling).get(reverse("processes:detail", args=[999999])).status_code == 404


def test_department_process_is_visible_to_both_units(cast, login):
    process = make_process(cast, unit=cast.dept, actor=cast.parent_manager)
    url = reverse("processes:detail", args=[process.pk])
    for person in (cast.same_unit, cast.sibling, cast.manager_a, cast.parent_manager):
        assert login(person).get(url).status_code == 200, person
    # Seeing is not changing: the unit manager of A does not manage the department.
    assert (
        login(cast.manager_a).get(reverse("processes:edit", args=[process.pk])).status_code == 403
    )


def test_register_groups_by_level_and_hides_sibling_processes(cast, login):
    make_process(cast, unit=cast.administration, actor=cast.quality, name="Förvaltningsprocess")
    make_process(cast, unit=cast.dept, actor=cast.parent_manager, name="Avdelningsprocess")
    make_process(cast, name="A-process")
    make_process(cast, unit=cast.unit_b, actor=cast.parent_manager, name="B-process")
    response = login(cast.same_unit).get(reverse("processes:register"))
    assert response.status_code == 200
    groups = {key: [p.name for p in rows] for key, _label, rows in response.context["groups"]}
    assert groups == {
        "organisation": ["Förvaltningsprocess"],
        "department": ["Avdelningsprocess"],
        "unit": ["A-process"],
    }
    assert b"B-process" not in response.content
    assert login(cast.outsider).get(reverse("processes:register")).status_code == 403


def test_register_filters_by_node_and_service(cast, login):
    from organisation.models import Service

    service = Service.objects.first()
    make_process(cast, name="A-process", services=[service])
    make_process(cast, unit=cast.unit_b, actor=cast.parent_manager, name="B-process")
    make_process(cast, unit=cast.dept, actor=cast.parent_manager, name="Avdelningsprocess")
    client = login(cast.parent_manager)
    names = lambda r: sorted(p.name for _k, _l, rows in r.context["groups"] for p in rows)  # noqa: E731
    response = client.get(reverse("processes:register"), {"node": cast.unit_b.pk})
    assert names(response) == ["Avdelningsprocess", "B-process"]
    response = client.get(reverse("processes:register"), {"service": service.pk})
    assert names(response) == ["A-process"]


def test_register_query_count_does_not_grow(cast, login, django_assert_max_num_queries):
    client = login(cast.parent_manager)
    for i in range(3):
        process = make_process(cast, name=f"P{i}", services=[1, 2])
        _add(process, "Steg")
    with django_assert_max_num_queries(14) as first:
        client.get(reverse("processes:register"))
    for i in range(3, 12):
        process = make_process(cast, unit=cast.unit_b, actor=cast.parent_manager, name=f"P{i}")
        _add(process, "Steg")
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("processes:register"))
    assert response.context["count"] == 12


def test_inactive_processes_are_shown_on_request(cast, login):
    process = make_process(cast)
    services.deactivate_process(process, actor=cast.manager_a)
    client = login(cast.manager_a)
    assert client.get(reverse("processes:register")).context["count"] == 0
    assert client.get(reverse("processes:register"), {"inactive": "on"}).context["count"] == 1


# -- creating and editing --------------------------------------------------------------------


def test_create_through_the_form(cast, login):
    client = login(cast.manager_a)
    form = client.get(reverse("processes:create")).context["form"]
    assert form.initial["unit"] == cast.unit_a.pk
    data = _form(unit=cast.unit_a.pk, owner=cast.same_unit.pk, services=[1])
    response = client.post(reverse("processes:create"), data)
    process = Process.objects.get()
    assert response.status_code == 302 and response["Location"] == process.get_absolute_url()
    assert process.owner == cast.same_unit
    again = client.post(reverse("processes:create"), data)
    assert again.status_code == 302 and Process.objects.count() == 1


def test_form_keeps_input_on_error(cast, login):
    client = login(cast.manager_a)
    data = _form(unit=cast.unit_a.pk, owner=cast.sibling.pk, name="Mitt namn", purpose="")
    response = client.post(reverse("processes:create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "purpose" in form.errors
    assert "Mitt namn" in response.content.decode()
    assert data["form_token"] in response.content.decode()
    assert Process.objects.count() == 0


def test_owner_refused_by_the_service_shows_on_the_field(cast, login):
    # The sibling is visible to the department manager, but cannot see unit A's processes.
    client = login(cast.parent_manager)
    data = _form(unit=cast.unit_a.pk, owner=cast.sibling.pk)
    response = client.post(reverse("processes:create"), data)
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert Process.objects.count() == 0


def test_staff_may_not_create(cast, login):
    assert login(cast.same_unit).get(reverse("processes:create")).status_code == 403


def test_edit_through_the_form(cast, login):
    process = make_process(cast)
    client = login(cast.manager_a)
    url = reverse("processes:edit", args=[process.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"unit": cast.unit_a.pk, "name": "Ändrad", "purpose": "Syfte", "owner": cast.manager_a.pk},
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.name == "Ändrad"
    assert login(cast.same_unit).get(url).status_code == 403


def test_deactivate_through_the_page(cast, login):
    process = make_process(cast)
    client = login(cast.manager_a)
    client.post(reverse("processes:deactivate", args=[process.pk]))
    process.refresh_from_db()
    assert not process.is_active
    page = client.get(process.get_absolute_url())
    assert b'id="process-inactive"' in page.content
    client.post(reverse("processes:reactivate", args=[process.pk]))
    process.refresh_from_db()
    assert process.is_active


# -- the process page ------------------------------------------------------------------------


def test_detail_shows_activities_in_order_with_routine_states(cast, login):
    process = make_process(cast)
    ok = published(cast, title="Rutin publicerad")
    draft = make_routine(cast, title="Rutin utkast", state="draft")
    services.add_activity(
        process, actor=cast.manager_a, name="Första", responsible_note="Kontakt", routines=[ok]
    )
    services.add_activity(
        process, actor=cast.manager_a, name="Andra", responsible_note="Kontakt", routines=[draft]
    )
    services.add_collaboration(
        process, actor=cast.manager_a, kind="school", partner="Skolan", agreement="Avtal 1"
    )
    page = login(cast.same_unit).get(process.get_absolute_url()).content.decode()
    assert page.index("Första") < page.index("Andra")
    assert "Rutin publicerad" in page and "Rutin utkast" in page
    assert "Publicerad, inom granskningsdatum" in page
    assert "Ingen publicerad version" in page
    assert "Skolan" in page and "Avtal 1" in page
    # Staff see no controls.
    assert 'id="activity-add"' not in page
    assert 'id="history"' not in page


def test_detail_shows_history_to_managers(cast, login):
    process = make_process(cast)
    page = login(cast.manager_a).get(process.get_absolute_url()).content.decode()
    assert 'id="history"' in page and 'id="activity-add"' in page


def test_routine_of_another_unit_is_shown_without_its_title(cast, login):
    process = make_process(cast, unit=cast.dept, actor=cast.parent_manager)
    services.add_activity(
        process,
        actor=cast.parent_manager,
        name="Steg",
        responsible_note="X",
        routines=[make_routine(cast, unit=cast.unit_b, title="Hemlig B-rutin")],
    )
    page = login(cast.same_unit).get(process.get_absolute_url()).content.decode()
    assert "Hemlig B-rutin" not in page
    assert "Hemlig B-rutin" in login(cast.sibling).get(process.get_absolute_url()).content.decode()


def test_detail_query_count(cast, login, django_assert_max_num_queries):
    process = make_process(cast)
    routine = published(cast)
    for i in range(8):
        services.add_activity(
            process, actor=cast.manager_a, name=f"S{i}", responsible_note="X", routines=[routine]
        )
        services.add_collaboration(process, actor=cast.manager_a, kind="police", partner=f"P{i}")
    client = login(cast.manager_a)
    with django_assert_max_num_queries(20):
        assert client.get(process.get_absolute_url()).status_code == 200


# -- activities through the pages ------------------------------------------------------------


def test_add_and_edit_activity_through_the_form(cast, login):
    process = make_process(cast)
    routine = published(cast)
    client = login(cast.manager_a)
    url = reverse("processes:activity_add", args=[process.pk])
    page = client.get(url)
    assert routine in page.context["form"].fields["routines"].queryset
    token = page.context["form"].initial["form_token"]
    data = {"name": "Första", "responsible_note": "Kontakt", "routines": [routine.pk]}
    data["form_token"] = str(token)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    activity = Activity.objects.get()
    assert list(activity.routines.all()) == [routine]
    edit = reverse("processes:activity_edit", args=[activity.pk])
    response = client.post(edit, {"name": "Ändrad", "responsible_note": "Kontakt"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.name == "Ändrad" and activity.routines.count() == 0


def test_activity_form_keeps_input_on_error(cast, login):
    process = make_process(cast)
    response = login(cast.manager_a).post(
        reverse("processes:activity_add", args=[process.pk]),
        {"name": "Mitt steg", "form_token": str(uuid.uuid4())},
    )
    assert response.status_code == 200
    assert "responsible_role" in response.context["form"].errors
    assert "Mitt steg" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_routine_the_actor_cannot_see_cannot_be_posted(cast, login):
    process = make_process(cast)
    hidden = make_routine(cast, unit=cast.unit_b)
    response = login(cast.manager_a).post(
        reverse("processes:activity_add", args=[process.pk]),
        {"name": "Steg", "responsible_note": "X", "routines": [hidden.pk]},
    )
    assert response.status_code == 200
    assert "routines" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_move_and_remove_without_javascript(cast, login):
    process = make_process(cast)
    one, two = _add(process, "Ett"), _add(process, "Två")
    client = login(cast.manager_a)
    response = client.post(reverse("processes:activity_move", args=[two.pk]), {"direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith("#activities")
    assert list(process.activities.values_list("name", flat=True)) == ["Två", "Ett"]
    client.post(reverse("processes:activity_remove", args=[two.pk]))
    assert list(process.activities.values_list("name", "position")) == [("Ett", 1)]
    bad = client.post(reverse("processes:activity_move", args=[one.pk]), {"direction": "sideways"})
    assert bad.status_code == 404


def test_move_with_htmx_returns_the_list(cast, login):
    process = make_process(cast)
    _add(process, "Ett")
    two = _add(process, "Två")
    response = login(cast.manager_a).post(
        reverse("processes:activity_move", args=[two.pk]),
        {"direction": "up"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<section") and 'id="activities"' in body
    assert body.index("Två") < body.index("Ett")
    assert "<html" not in body


def test_staff_cannot_move(cast, login):
    process = make_process(cast)
    one = _add(process, "Ett")
    _add(process, "Två")
    url = reverse("processes:activity_move", args=[one.pk])
    assert login(cast.same_unit).post(url, {"direction": "down"}).status_code == 403
    assert login(cast.sibling).post(url, {"direction": "down"}).status_code == 403
    assert list(process.activities.values_list("name", flat=True)) == ["Ett", "Två"]


# -- collaboration through the pages ---------------------------------------------------------


def test_collaboration_through_the_forms(cast, login):
    process = make_process(cast)
    routine = published(cast)
    client = login(cast.manager_a)
    url = reverse("processes:collaboration_add", args=[process.pk])
    data = {
        "kind": "region",
        "partner": "Vårdcentralen",
        "agreement": "Dnr 1",
        "agreement_valid_until": "2030-01-01",
        "routine": routine.pk,
        "form_token": str(uuid.uuid4()),
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    collaboration = Collaboration.objects.get()
    assert collaboration.routine == routine
    edit = reverse("processes:collaboration_edit", args=[collaboration.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {**data, "partner": "Region"})
    collaboration.refresh_from_db()
    assert collaboration.partner == "Region"
    client.post(reverse("processes:collaboration_remove", args=[collaboration.pk]))
    assert not Collaboration.objects.exists()


def test_collaboration_form_keeps_input_on_error(cast, login):
    process = make_process(cast)
    response = login(cast.manager_a).post(
        reverse("processes:collaboration_add", args=[process.pk]),
        {"kind": "internal", "purpose": "Gemensam planering", "form_token": str(uuid.uuid4())},
    )
    assert response.status_code == 200
    assert "internal_unit" in response.context["form"].errors
    assert "Gemensam planering" in response.content.decode()
