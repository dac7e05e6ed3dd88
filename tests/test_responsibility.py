"""The responsibility matrix: holders per node, duties per organisation, PDF, editing."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from accounts.scoping import Grant
from audit.services import events_for
from organisation import responsibility
from organisation.models import RoleDuty
from tests.cast import _assign, _user


def matrix_url(node):
    return reverse("organisation:responsibility_node", kwargs={"pk": node.pk})


def pdf_url(node):
    return reverse("organisation:responsibility_pdf", kwargs={"pk": node.pk})


def edit_url(node, role_code):
    role = Role.objects.get(code=role_code)
    return reverse("organisation:duties_edit", kwargs={"pk": node.pk, "role_pk": role.pk})


def rows_of(response):
    return {row.role.code: row for row in response.context["rows"]}


def holder_names(row):
    return {h.user.username for h in row.holders}


# --- holders ------------------------------------------------------------------------------


def test_holders_at_the_node_and_inherited_from_ancestors(cast, login):
    response = login(cast.admin).get(matrix_url(cast.unit_a))
    assert response.status_code == 200
    rows = rows_of(response)

    assert holder_names(rows["staff_member"]) == {"same"}
    (manager,) = rows["unit_manager"].holders
    assert manager.user == cast.manager_a and not manager.inherited

    (dept_manager,) = rows["department_manager"].holders
    assert dept_manager.user == cast.parent_manager
    assert dept_manager.inherited and dept_manager.node == cast.dept

    (quality,) = rows["quality_developer"].holders
    assert quality.inherited and quality.node == cast.administration
    (admin,) = rows["system_administrator"].holders
    assert admin.node == cast.board


def test_assignment_at_a_sibling_does_not_appear(cast, login):
    rows = rows_of(login(cast.admin).get(matrix_url(cast.unit_a)))
    assert "sibling" not in holder_names(rows["staff_member"])
    rows_b = rows_of(login(cast.admin).get(matrix_url(cast.unit_b)))
    assert holder_names(rows_b["staff_member"]) == {"sibling"}
    # manager_a's subtree is unit A's; it does not reach the sibling unit.
    assert "manager_a" not in holder_names(rows_b["unit_manager"])
    assert rows_b["unit_manager"].holders == []


def test_ancestor_assignment_without_subtree_is_not_inherited(cast, login):
    mas = _user("mas_user", "Mona", "Mas")
    _assign(mas, "mas", cast.dept, subtree=False)
    client = login(cast.admin)
    assert rows_of(client.get(matrix_url(cast.unit_a)))["mas"].holders == []
    assert holder_names(rows_of(client.get(matrix_url(cast.dept)))["mas"]) == {"mas_user"}


def test_ended_assignments_and_inactive_people_are_not_holders(cast, login):
    former = _user("former", "Frida", "Förr")
    ended = _assign(former, "mas", cast.unit_a)
    ended.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    ended.save()
    gone = _user("gone", "Gösta", "Borta")
    _assign(gone, "mas", cast.unit_a)
    gone.is_active = False
    gone.save()
    rows = rows_of(login(cast.admin).get(matrix_url(cast.unit_a)))
    assert rows["mas"].holders == []


def test_role_without_holder_is_marked_vacant(cast, login):
    response = login(cast.admin).get(matrix_url(cast.unit_a))
    rows = rows_of(response)
    assert rows["mas"].holders == [] and not rows["mas"].appointed
    assert rows["mas"].duties, "the role is listed because it has duties"
    assert rows["staff_member"].appointed
    html = response.content.decode()
    assert 'id="role-mas"' in html
    mas_section = html.split('id="role-mas"')[1].split("</section>")[0]
    assert 'class="vacant"' in mas_section
    staff_section = html.split('id="role-staff_member"')[1].split("</section>")[0]
    assert 'class="vacant"' not in staff_section


def test_duties_are_those_of_the_own_organisation(cast, login):
    other_mas = RoleDuty.objects.filter(organisation=cast.other_root_node, role__code="mas").first()
    other_mas.text = "Endast i Annan nämnd"
    other_mas.save()
    rows = rows_of(login(cast.admin).get(matrix_url(cast.unit_a)))
    texts = [d.text for d in rows["mas"].duties]
    assert texts == list(
        RoleDuty.objects.filter(organisation=cast.board, role__code="mas")
        .order_by("order")
        .values_list("text", flat=True)
    )
    assert "Endast i Annan nämnd" not in texts


def test_role_without_duties_or_holders_is_left_out(cast, login):
    rows = rows_of(login(cast.admin).get(matrix_url(cast.unit_a)))
    # The system administrator role has no duties but a holder (at the board): it is shown.
    assert "system_administrator" in rows
    RoleAssignment.objects.filter(role__code="system_administrator").delete()
    response = login(cast.same_unit).get(matrix_url(cast.unit_a))
    assert "system_administrator" not in rows_of(response)
    assert "system_administrator" in {r.code for r in response.context["other_roles"]}


# --- navigation ---------------------------------------------------------------------------


def test_start_redirects_to_the_own_unit(cast, login):
    url = reverse("organisation:responsibility")
    assert login(cast.same_unit).get(url).url == matrix_url(cast.unit_a)
    assert login(cast.parent_manager).get(url).url == matrix_url(cast.dept)
    assert login(cast.admin).get(url).url == matrix_url(cast.board)


def test_start_shows_a_chooser_without_an_own_unit(cast):
    # The chooser is the fallback when no assignment names a unit (grants already loaded).
    user = cast.admin
    RoleAssignment.objects.filter(user=user).delete()
    user._hjulet_grants = {
        "responsibility.view": {Grant(cast.dept.pk, cast.dept.path, True)},
    }
    request = RequestFactory().get(reverse("organisation:responsibility"))
    request.user = user
    request.session = {}
    response = responsibility.matrix_start(request)
    assert response.status_code == 200
    html = response.content.decode()
    assert matrix_url(cast.unit_a) in html and matrix_url(cast.dept) in html
    assert matrix_url(cast.board) not in html


def test_node_picker_and_path(cast, login):
    response = login(cast.admin).get(matrix_url(cast.dept))
    assert response.context["parent"] == cast.administration
    assert set(response.context["children"]) == {cast.unit_a, cast.unit_b, cast.provider_node}
    assert [s.node for s in response.context["path"]] == [
        cast.board,
        cast.administration,
        cast.dept,
    ]
    # A staff member at unit A sees neither the department nor other units.
    response = login(cast.same_unit).get(matrix_url(cast.unit_a))
    assert response.context["parent"] is None
    assert list(response.context["children"]) == []
    assert [s.visible for s in response.context["path"]] == [False, False, False, True]
    assert matrix_url(cast.dept) not in response.content.decode()


# --- access -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(cast, client):
    for url in [
        reverse("organisation:responsibility"),
        matrix_url(cast.unit_a),
        pdf_url(cast.unit_a),
        edit_url(cast.unit_a, "mas"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["other_root", "sibling"])
def test_people_outside_the_unit_get_404(cast, login, who):
    client = login(getattr(cast, who))
    assert client.get(matrix_url(cast.unit_a)).status_code == 404
    assert client.get(pdf_url(cast.unit_a)).status_code == 404


def test_outsider_without_any_role_is_refused(cast, login):
    client = login(cast.outsider)
    assert client.get(reverse("organisation:responsibility")).status_code == 403
    assert client.get(matrix_url(cast.unit_a)).status_code == 403
    assert client.get(pdf_url(cast.unit_a)).status_code == 403
    assert client.get(edit_url(cast.unit_a, "mas")).status_code == 403


def test_unknown_node_is_404(cast, login):
    assert login(cast.admin).get("/organisation/responsibility/999999/").status_code == 404


def test_staff_member_reads_but_may_not_edit(cast, login):
    client = login(cast.same_unit)
    response = client.get(matrix_url(cast.unit_a))
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert "/duties/" not in response.content.decode()
    assert client.get(matrix_url(cast.dept)).status_code == 404
    assert client.get(edit_url(cast.unit_a, "mas")).status_code == 403
    before = RoleDuty.objects.count()
    assert client.post(edit_url(cast.unit_a, "mas"), {"duties": ""}).status_code == 403
    assert RoleDuty.objects.count() == before


def test_editing_needs_the_key_over_the_whole_organisation(cast, login):
    # The quality developer holds responsibility.edit over the whole administration, directly
    # below the board: that leads the whole organisation, so the edit is allowed.
    client = login(cast.quality)
    assert client.get(matrix_url(cast.unit_a)).context["can_edit"] is True
    assert client.get(edit_url(cast.unit_a, "mas")).status_code == 200
    # The key over one department is not enough: the duties belong to the whole organisation.
    dept_editor = _user("dept_editor")
    _assign(dept_editor, "quality_developer", cast.dept, subtree=True)
    client = login(dept_editor)
    assert client.get(matrix_url(cast.unit_a)).context["can_edit"] is False
    assert client.get(edit_url(cast.unit_a, "mas")).status_code == 403
    # An editor of another organisation does not even see this one.
    other_editor = _user("other_editor")
    _assign(other_editor, "administration_manager", cast.other_root_node, subtree=True)
    client = login(other_editor)
    assert client.get(edit_url(cast.unit_a, "mas")).status_code == 404
    assert client.get(edit_url(cast.other_root_node, "mas")).status_code == 200


def test_unknown_role_is_404(cast, login):
    url = reverse("organisation:duties_edit", kwargs={"pk": cast.unit_a.pk, "role_pk": 999999})
    assert login(cast.admin).get(url).status_code == 404


# --- editing ------------------------------------------------------------------------------


def test_edit_form_is_prefilled(cast, login):
    response = login(cast.admin).get(edit_url(cast.unit_a, "mas"))
    assert response.status_code == 200
    first = RoleDuty.objects.filter(organisation=cast.board, role__code="mas").order_by("order")[0]
    assert response.context["form"].initial["duties"].split("\n")[0] == first.text
    assert response.context["root"] == cast.board


def test_edit_replaces_the_duties_of_the_organisation(cast, login):
    client = login(cast.admin)
    response = client.post(
        edit_url(cast.unit_a, "mas"),
        {"duties": "Första uppgiften\n\n  Andra uppgiften  \n"},
    )
    assert response.status_code == 302
    assert response.url == matrix_url(cast.unit_a) + "#role-mas"
    texts = list(
        RoleDuty.objects.filter(organisation=cast.board, role__code="mas")
        .order_by("order")
        .values_list("text", flat=True)
    )
    assert texts == ["Första uppgiften", "Andra uppgiften"]
    # The other organisation keeps its own text.
    assert RoleDuty.objects.filter(organisation=cast.other_root_node, role__code="mas").count() > 2
    assert [e.verb for e in events_for(cast.board)].count("organisation.duties_edited") == 1
    event = next(e for e in events_for(cast.board) if e.verb == "organisation.duties_edited")
    assert event.actor == cast.admin
    # The matrix of every unit shows the new duties.
    rows = rows_of(client.get(matrix_url(cast.unit_b)))
    assert [d.text for d in rows["mas"].duties] == ["Första uppgiften", "Andra uppgiften"]


def test_saving_shows_a_message(cast, login):
    response = login(cast.admin).post(
        edit_url(cast.dept, "mas"), {"duties": "Ny uppgift"}, follow=True
    )
    assert response.redirect_chain[-1][0] == matrix_url(cast.dept) + "#role-mas"
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_empty_submit_removes_the_duties(cast, login):
    client = login(cast.admin)
    assert client.post(edit_url(cast.unit_a, "mas"), {"duties": "  \n"}).status_code == 302
    assert not RoleDuty.objects.filter(organisation=cast.board, role__code="mas").exists()
    response = client.get(matrix_url(cast.unit_a))
    assert "mas" not in rows_of(response)
    assert "mas" in {r.code for r in response.context["other_roles"]}
    # ... and they can be written again from there.
    assert edit_url(cast.unit_a, "mas") in response.content.decode()


def test_invalid_edit_keeps_what_was_typed(cast, login):
    client = login(cast.admin)
    before = list(RoleDuty.objects.filter(organisation=cast.board).values_list("pk", flat=True))
    typed = "Kort\n" + "x" * 1001
    response = client.post(edit_url(cast.unit_a, "mas"), {"duties": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["duties"]
    assert "x" * 1001 in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert list(RoleDuty.objects.filter(organisation=cast.board).values_list("pk", flat=True)) == (
        before
    )
    too_many = "\n".join(f"Uppgift {i}" for i in range(61))
    response = client.post(edit_url(cast.unit_a, "mas"), {"duties": too_many})
    assert response.status_code == 200 and response.context["form"].errors["duties"]


def test_editors_see_edit_links(cast, login):
    response = login(cast.admin).get(matrix_url(cast.unit_a))
    assert response.context["can_edit"] is True
    assert edit_url(cast.unit_a, "unit_manager") in response.content.decode()


# --- printing and PDF ---------------------------------------------------------------------


def test_page_has_print_and_pdf_buttons(cast, login):
    html = login(cast.same_unit).get(matrix_url(cast.unit_a)).content.decode()
    assert "data-print" in html
    assert pdf_url(cast.unit_a) in html
    assert html.count("<h1") == 1


def test_pdf_downloads(cast, login):
    response = login(cast.same_unit).get(pdf_url(cast.unit_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="ansvarsfordelning-enhet-a.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def test_pdf_fetcher_reads_static_files_and_refuses_others(settings):
    from organisation.pdf import BASE_URL, RefusedURL, url_fetcher

    found = url_fetcher(BASE_URL + "static/css/print.css")
    assert b"@page" in found["string"]
    for url in ["http://169.254.169.254/latest/", "file:///etc/passwd", BASE_URL + "admin/"]:
        with pytest.raises(RefusedURL):
            url_fetcher(url)
    with pytest.raises(RefusedURL):
        url_fetcher(BASE_URL + "static/../settings.py")


# --- queries ------------------------------------------------------------------------------


def _crowd(cast):
    for i in range(8):
        _assign(_user(f"staff{i}"), "staff_member", cast.unit_a)
    for i, node in enumerate([cast.board, cast.administration, cast.dept]):
        _assign(_user(f"mas{i}"), "mas", node, subtree=True)
        _assign(_user(f"qr{i}"), "quality_representative", node, subtree=True)


def test_matrix_queries_are_bounded(cast, login, django_assert_max_num_queries):
    client = login(cast.admin)
    client.get(matrix_url(cast.unit_a))  # warm up session and content types
    with django_assert_max_num_queries(12) as small:
        client.get(matrix_url(cast.unit_a))
    _crowd(cast)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(matrix_url(cast.unit_a))
    assert len(rows_of(response)["staff_member"].holders) == 9
    assert len(rows_of(response)["mas"].holders) == 3


def test_pdf_queries_are_bounded(cast, login, django_assert_max_num_queries):
    client = login(cast.admin)
    with django_assert_max_num_queries(10) as small:
        client.get(pdf_url(cast.unit_a))
    _crowd(cast)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(pdf_url(cast.unit_a)).status_code == 200
