"""Staff's side of routines: who is asked to acknowledge, "Rutiner för min enhet", reading,
acknowledging, the managers' overview, and what a sibling unit does not see."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role, RoleAssignment
from audit.models import Event
from routines import acknowledgments
from routines.models import Acknowledgment, Routine
from routines.search import search
from tests.cast import _assign, _user
from tests.routines_s_helpers import routine_in_force


def asked(version):
    return set(
        Acknowledgment.objects.filter(version=version).values_list("user__username", flat=True)
    )


def role(code):
    return Role.objects.get(code=code)


# -- the acknowledgment round ------------------------------------------------------------------


def test_a_unit_routine_asks_the_people_of_the_unit(cast):
    routine = routine_in_force(cast, title="Nyckelhantering")
    assert asked(routine.current_version) == {"same", "manager_a"}
    ack = Acknowledgment.objects.get(user=cast.same_unit)
    assert ack.unit == cast.unit_a and ack.acknowledged_at is None


def test_a_department_routine_asks_every_unit_below_it(cast):
    routine = routine_in_force(cast, unit=cast.dept, title="Bemötande")
    # The department's own manager and everyone at the units below; the quality developer's
    # assignment lies above the department and the routine names no roles.
    assert asked(routine.current_version) == {
        "same",
        "manager_a",
        "sibling",
        "parent",
        "provider",
    }
    units = dict(
        Acknowledgment.objects.filter(version=routine.current_version).values_list(
            "user__username", "unit__name"
        )
    )
    assert units["sibling"] == "Enhet B" and units["parent"] == "Avdelningen"


def test_roles_limit_the_round(cast):
    for_managers = routine_in_force(cast, title="Chefens rutin", roles=[role("unit_manager")])
    assert asked(for_managers.current_version) == {"manager_a"}
    # A role above the unit counts when the routine names it.
    for_department = routine_in_force(
        cast, title="Avdelningschefens rutin", roles=[role("department_manager")]
    )
    assert asked(for_department.current_version) == {"parent"}


def test_no_round_without_acknowledgment_and_a_second_round_adds_nobody(cast):
    quiet = routine_in_force(cast, title="Information", requires_acknowledgment=False)
    assert asked(quiet.current_version) == set()
    routine = routine_in_force(cast, title="Nyckelhantering")
    assert acknowledgments.start_round(routine.current_version, cast.manager_a) == 0
    assert Acknowledgment.objects.filter(version=routine.current_version).count() == 2


def test_a_new_employee_gets_the_current_set_of_their_unit(cast):
    local_a = routine_in_force(cast, title="Enhet A:s rutin")
    department = routine_in_force(cast, unit=cast.dept, title="Avdelningens rutin")
    for_managers = routine_in_force(
        cast, unit=cast.dept, title="Chefer", roles=[role("unit_manager")]
    )
    newcomer = _user("newcomer", "Nina", "Ny")
    _assign(newcomer, "staff_member", cast.unit_b)
    versions = set(
        Acknowledgment.objects.filter(user=newcomer).values_list("version_id", flat=True)
    )
    assert versions == {department.current_version_id}
    assert local_a.current_version_id not in versions
    assert for_managers.current_version_id not in versions
    # Saving the assignment again gives nothing twice.
    RoleAssignment.objects.get(user=newcomer).save()
    assert Acknowledgment.objects.filter(user=newcomer).count() == 1


def test_an_assignment_that_is_not_yet_valid_gives_no_tasks(cast):
    import datetime

    from django.utils import timezone

    routine_in_force(cast, title="Enhet A:s rutin")
    later = _user("later", "Lea", "Senare")
    RoleAssignment.objects.create(
        user=later,
        role=role("staff_member"),
        node=cast.unit_a,
        valid_from=timezone.localdate() + datetime.timedelta(days=3),
    )
    assert not Acknowledgment.objects.filter(user=later).exists()


# -- acknowledging -----------------------------------------------------------------------------


def test_acknowledging_is_for_ones_own_task_only(cast, login):
    routine = routine_in_force(cast, title="Nyckelhantering")
    ack = Acknowledgment.objects.get(user=cast.same_unit)
    with pytest.raises(PermissionDenied):
        acknowledgments.acknowledge(ack, cast.manager_a)
    url = reverse("routines:acknowledge", args=[ack.pk])
    assert login(cast.manager_a).post(url).status_code == 404
    assert login(cast.sibling).post(url).status_code == 404
    ack.refresh_from_db()
    assert ack.acknowledged_at is None

    response = login(cast.same_unit).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("routines:read", args=[routine.pk])
    login(cast.same_unit).post(url)  # the second press changes nothing
    ack.refresh_from_db()
    assert ack.acknowledged_at is not None
    events = Event.objects.filter(
        content_type=ContentType.objects.get_for_model(Acknowledgment),
        object_id=str(ack.pk),
        verb="routines.acknowledged",
    )
    assert events.count() == 1 and events.get().actor == cast.same_unit


def test_the_read_page_has_the_button_while_the_task_is_open(cast, login):
    routine = routine_in_force(
        cast, title="Nyckelhantering", body="<p>Nycklar lämnas i nyckelskåpet.</p>"
    )
    client = login(cast.same_unit)
    page = client.get(reverse("routines:read", args=[routine.pk])).content.decode()
    assert "Nycklar lämnas i nyckelskåpet." in page
    assert 'id="acknowledge-button"' in page
    ack = Acknowledgment.objects.get(user=cast.same_unit)
    client.post(reverse("routines:acknowledge", args=[ack.pk]))
    page = client.get(reverse("routines:read", args=[routine.pk])).content.decode()
    assert 'id="acknowledge-button"' not in page and 'id="acknowledged"' in page
    # Someone not asked reads it without a button.
    page = login(cast.parent_manager).get(reverse("routines:read", args=[routine.pk]))
    assert page.status_code == 200 and b"acknowledge-button" not in page.content


def test_the_acknowledgment_rate_changes_in_the_managers_overview(cast, login):
    routine = routine_in_force(cast, title="Nyckelhantering")
    manager = login(cast.manager_a)
    url = reverse("routines:acknowledgments") + f"?unit={cast.unit_a.pk}"
    page = manager.get(url).content.decode()
    assert "0 % kvitterat (0 av 2)" in page
    assert "Sara Samma" in page
    ack = Acknowledgment.objects.get(user=cast.same_unit)
    acknowledgments.acknowledge(ack, cast.same_unit)
    page = manager.get(url).content.decode()
    assert "50 % kvitterat (1 av 2)" in page
    rows, total = acknowledgments.unit_statistics(cast.unit_a, Routine.objects.all())
    assert total.rate == 50 and [u.username for u in total.missing] == ["manager_a"]
    assert rows[0][0] == routine and rows[0][1].acknowledged == 1


def test_the_department_manager_sees_each_unit(cast, login):
    routine = routine_in_force(cast, unit=cast.dept, title="Bemötande")
    acknowledgments.acknowledge(Acknowledgment.objects.get(user=cast.sibling), cast.sibling)
    tallies = acknowledgments.version_statistics(routine.current_version, units=[cast.dept])
    by_unit = {t.unit.name: (t.asked, t.acknowledged, t.rate) for t in tallies}
    assert by_unit["Enhet B"] == (1, 1, 100)
    assert by_unit["Enhet A"] == (2, 0, 0)
    page = login(cast.parent_manager).get(
        reverse("routines:acknowledgments") + f"?unit={cast.dept.pk}"
    )
    assert page.status_code == 200 and b'id="acknowledgment-units"' in page.content


def test_staff_cannot_open_the_overview_and_managers_only_their_units(cast, login):
    routine_in_force(cast, title="Nyckelhantering")
    assert login(cast.same_unit).get(reverse("routines:acknowledgments")).status_code == 403
    url = reverse("routines:acknowledgments") + f"?unit={cast.unit_b.pk}"
    assert login(cast.manager_a).get(url).status_code == 404
    remind = reverse("routines:acknowledgments_remind", args=[cast.unit_b.pk])
    assert login(cast.manager_a).post(remind).status_code == 404


# -- what a sibling unit sees ------------------------------------------------------------------


def test_a_sibling_unit_does_not_see_a_unit_local_routine(cast, login):
    local = routine_in_force(cast, title="Enhet A:s larmrutin", body="<p>Larmet testas.</p>")
    department = routine_in_force(cast, unit=cast.dept, title="Bemötande", body="<p>Larm.</p>")
    sibling = login(cast.sibling)
    page = sibling.get(reverse("routines:mine")).content.decode()
    assert "Bemötande" in page and "larmrutin" not in page
    results = sibling.get(reverse("routines:mine"), {"q": "larm"}).content.decode()
    assert "Bemötande" in results and "larmrutin" not in results
    assert set(search(Routine.objects.visible_to(cast.sibling), "larmet")) == set()
    assert sibling.get(reverse("routines:read", args=[local.pk])).status_code == 404
    assert sibling.get(reverse("routines:read", args=[department.pk])).status_code == 200
    assert sibling.get(reverse("routines:read", args=[999999])).status_code == 404


def test_a_department_routine_is_in_both_units_sets(cast, login):
    routine_in_force(cast, unit=cast.dept, title="Bemötande")
    chief = _user("chief", "Cecilia", "Förvaltningschef")
    _assign(chief, "administration_manager", cast.administration, subtree=True)
    routine_in_force(cast, unit=cast.administration, title="Dokumentation", actor=chief)
    for person in (cast.same_unit, cast.sibling):
        page = login(person).get(reverse("routines:mine")).content.decode()
        assert "Bemötande" in page and "Dokumentation" in page
        assert 'id="level-department"' in page and 'id="level-organisation"' in page


# -- "Rutiner för min enhet" -------------------------------------------------------------------


def test_mine_marks_what_to_acknowledge_and_filters(cast, login):
    routine_in_force(cast, title="Nyckelhantering")
    routine_in_force(cast, title="Chefens rutin", roles=[role("unit_manager")])
    client = login(cast.same_unit)
    page = client.get(reverse("routines:mine")).content.decode()
    assert "Att kvittera" in page and "Chefens rutin" in page
    mine = client.get(reverse("routines:mine"), {"role": "on"}).content.decode()
    assert "Nyckelhantering" in mine and "Chefens rutin" not in mine
    acknowledgments.acknowledge(Acknowledgment.objects.get(user=cast.same_unit), cast.same_unit)
    todo = client.get(reverse("routines:mine"), {"todo": "on"}).content.decode()
    assert "Nyckelhantering" not in todo


def test_the_search_answers_htmx_with_the_results_only(cast, login):
    routine_in_force(cast, title="Nyckelhantering", body="<p>Nyckelskåpet låses.</p>")
    client = login(cast.same_unit)
    response = client.get(reverse("routines:mine"), {"q": "nyckel"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="routine-results">')
    assert "Nyckelhantering" in body and "<html" not in body


def test_the_start_page_leads_to_mine(cast, login):
    page = login(cast.same_unit).get(reverse("shell:start")).content.decode()
    assert reverse("routines:mine") in page
    assert "Rutiner för min enhet" in page


def _many(cast, count, start=0):
    for i in range(start, start + count):
        unit = cast.dept if i % 2 else cast.unit_a
        routine_in_force(cast, unit=unit, title=f"Rutin {i}", roles=[role("staff_member")])


@pytest.mark.parametrize("query", ["", "rutin"])
def test_mine_reads_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries, query):
    _many(cast, 3)
    client = login(cast.same_unit)
    client.get(reverse("routines:mine"))  # session and caches warm
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("routines:mine"), {"q": query, "role": "on"})
    _many(cast, 12, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("routines:mine"), {"q": query, "role": "on"})
    assert response.content.decode().count('class="routine-row"') == 15


def test_the_overview_reads_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries):
    _many(cast, 3)
    client = login(cast.parent_manager)
    url = reverse("routines:acknowledgments") + f"?unit={cast.dept.pk}"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    _many(cast, 12, start=3)
    for i in range(4):
        _assign(_user(f"extra{i}"), "staff_member", cast.unit_b)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("<tr data-pk=") == 15


# -- Mina uppgifter ----------------------------------------------------------------------------


def test_the_inbox_lists_the_routines_to_acknowledge(cast, login):
    routine = routine_in_force(cast, title="Nyckelhantering")
    page = login(cast.same_unit).get(reverse("notifications:inbox")).content.decode()
    assert 'id="inbox-routine_acknowledgments"' in page
    assert reverse("routines:read", args=[routine.pk]) in page
    acknowledgments.acknowledge(Acknowledgment.objects.get(user=cast.same_unit), cast.same_unit)
    page = login(cast.same_unit).get(reverse("notifications:inbox")).content.decode()
    assert 'id="inbox-routine_acknowledgments"' not in page
    # The sibling unit's staff have no task for it.
    page = login(cast.sibling).get(reverse("notifications:inbox")).content.decode()
    assert "Nyckelhantering" not in page


def test_the_inbox_lists_drafts_to_review_and_reviews_due(cast, login):
    import datetime

    from django.utils import timezone

    from routines.models import Reviewer
    from routines.services.draft import new_version

    routine = routine_in_force(cast, title="Nyckelhantering")
    Routine.objects.filter(pk=routine.pk).update(
        next_review_on=timezone.localdate() + datetime.timedelta(days=5)
    )
    draft = new_version(routine, actor=cast.manager_a)
    draft.state = "review"
    draft.save(update_fields=["state"])
    Reviewer.objects.create(version=draft, user=cast.same_unit, requested_by=cast.manager_a)
    page = login(cast.same_unit).get(reverse("notifications:inbox")).content.decode()
    assert 'id="inbox-routine_reviewer"' in page
    assert reverse("routines:version", args=[draft.pk]) in page
    owner = login(cast.manager_a).get(reverse("notifications:inbox")).content.decode()
    assert 'id="inbox-routine_reviews"' in owner
    assert reverse("routines:review", args=[routine.pk]) in owner
