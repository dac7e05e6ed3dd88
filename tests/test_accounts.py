"""Users, role assignments and the role → permission matrix (issue point 6)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.keys import PERMISSION_KEYS
from accounts.models import Permission, Role, RoleAssignment, User
from accounts.scoping import can, holds
from audit.models import Event
from organisation.models import OrgNode
from people import services


def url(name, *args):
    return reverse(f"accounts:{name}", args=args)


def fresh(user):
    """The person as a new request sees them: no cached grants."""
    return User.objects.get(pk=user.pk)


def role(code):
    return Role.objects.get(code=code)


def events(verb, obj=None):
    rows = Event.objects.filter(verb=verb)
    if obj is not None:
        rows = rows.filter(object_id=str(obj.pk))
    return rows


def make_unit_user_admin(cast):
    """A custom role, as an administrator might define it: manage users at unit A only."""
    custom = Role.objects.create(code="unit_user_admin", name="Användaradministratör", order=200)
    custom.permissions.set(
        Permission.objects.filter(
            key__in=["accounts.manage_users", "accounts.view_users", "organisation.view"]
        )
    )
    RoleAssignment.objects.create(user=cast.manager_a, role=custom, node=cast.unit_a)
    return fresh(cast.manager_a)


NEW_USER = {
    "username": "nyanstalld",
    "first_name": "Nora",
    "last_name": "Nyanställd",
    "email": "nora@kommun.test",
    "title": "Undersköterska",
    "phone": "",
}


# --- Access ------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(cast, client):
    assignment = RoleAssignment.objects.get(user=cast.same_unit)
    pk = cast.same_unit.pk
    for method, address in [
        ("get", url("users")),
        ("get", url("user_detail", pk)),
        ("get", url("user_create")),
        ("get", url("user_edit", pk)),
        ("get", url("assignment_create", pk)),
        ("post", url("assignment_end", assignment.pk)),
        ("post", url("user_deactivate", pk)),
        ("post", url("user_reactivate", pk)),
        ("post", url("user_invite", pk)),
        ("get", url("roles")),
    ]:
        response = getattr(client, method)(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("login")), address


def test_user_list_is_scoped(cast, login):
    page = login(cast.parent_manager).get(url("users"))
    assert page.status_code == 200
    shown = set(page.context["page"].object_list)
    assert {cast.same_unit, cast.sibling, cast.manager_a, cast.provider_staff} <= shown
    assert cast.other_root not in shown
    assert cast.outsider not in shown  # no role: seen only from the top of a tree
    assert cast.admin not in shown  # their role sits above the department


def test_unit_manager_sees_own_unit_only(cast, login):
    shown = set(login(cast.manager_a).get(url("users")).context["page"].object_list)
    assert cast.same_unit in shown
    assert cast.sibling not in shown


def test_people_without_view_users_get_403_on_the_list(cast, login):
    for who in (cast.same_unit, cast.outsider, cast.other_root):
        assert login(who).get(url("users")).status_code == 403


def test_admin_sees_people_without_a_role(cast, login):
    shown = set(login(cast.admin).get(url("users")).context["page"].object_list)
    assert cast.outsider in shown
    assert cast.other_root not in shown


def test_user_list_query_count_is_bounded(cast, login, django_assert_max_num_queries):
    for i in range(25):
        person = User.objects.create(username=f"p{i}", first_name="Person", last_name=str(i))
        RoleAssignment.objects.create(user=person, role=role("staff_member"), node=cast.unit_a)
        RoleAssignment.objects.create(
            user=person, role=role("quality_representative"), node=cast.unit_b
        )
    client = login(cast.admin)
    with django_assert_max_num_queries(10):
        response = client.get(url("users"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) >= 25
    body = response.content.decode()
    assert body.count("Enhet B") >= 25


def test_user_list_is_paginated(cast, login):
    for i in range(60):
        User.objects.create(username=f"bulk{i:02d}", first_name="Bulk", last_name=f"{i:02d}")
    client = login(cast.admin)
    first = client.get(url("users"))
    assert len(first.context["page"].object_list) == 50
    second = client.get(url("users"), {"page": 2})
    assert second.context["page"].number == 2
    assert set(first.context["page"].object_list).isdisjoint(second.context["page"].object_list)


def test_user_list_search_and_filters(cast, login):
    client = login(cast.parent_manager)

    def shown(**params):
        return set(client.get(url("users"), params).context["page"].object_list)

    assert shown(q="samma") == {cast.same_unit}
    assert shown(q="Sara Samma") == {cast.same_unit}
    assert shown(q="sibling@cast") == {cast.sibling}
    assert shown(role=role("unit_manager").pk) == {cast.manager_a}
    by_node = shown(node=cast.unit_b.pk)
    assert cast.sibling in by_node and cast.same_unit not in by_node
    # The department's subtree: everyone with a role below it.
    assert {cast.same_unit, cast.sibling} <= shown(node=cast.dept.pk)
    assert shown(role=role("staff_member").pk, node=cast.unit_a.pk) == {cast.same_unit}


def test_user_list_hides_roles_outside_the_viewers_scope(cast, login):
    RoleAssignment.objects.create(
        user=cast.same_unit, role=role("staff_member"), node=cast.other_root_node
    )
    page = login(cast.parent_manager).get(url("users"))
    assert "Annan nämnd" not in page.content.decode()
    filtered = login(cast.parent_manager).get(url("users"), {"node": cast.other_root_node.pk})
    # A unit outside the viewer's scope is not a valid choice: the list is not narrowed by it.
    assert filtered.context["form"].errors


def test_user_detail_access(cast, login):
    target = url("user_detail", cast.same_unit.pk)
    assert login(cast.parent_manager).get(target).status_code == 200
    assert login(cast.manager_a).get(target).status_code == 200
    assert login(cast.outsider).get(target).status_code == 403
    assert login(cast.same_unit).get(target).status_code == 403  # no accounts.view_users
    # Visible to nobody outside the scope; 404 also for an unknown id.
    assert login(cast.manager_a).get(url("user_detail", cast.sibling.pk)).status_code == 404
    assert login(cast.parent_manager).get(url("user_detail", cast.other_root.pk)).status_code == 404
    assert login(cast.parent_manager).get(url("user_detail", 999999)).status_code == 404


def test_outsider_with_view_users_elsewhere_gets_404(cast, login):
    """other_root as a manager in the other tree still cannot open a person of the first tree."""
    RoleAssignment.objects.create(
        user=cast.other_root,
        role=role("unit_manager"),
        node=cast.other_root_node,
        include_subtree=True,
    )
    client = login(cast.other_root)
    assert client.get(url("users")).status_code == 200
    assert client.get(url("user_detail", cast.same_unit.pk)).status_code == 404
    assert client.get(url("user_detail", cast.admin.pk)).status_code == 404


def test_user_detail_shows_assignments_and_history(cast, login):
    ended = RoleAssignment.objects.create(
        user=cast.same_unit,
        role=role("quality_representative"),
        node=cast.unit_a,
        valid_until=timezone.localdate() - timedelta(days=10),
    )
    response = login(cast.admin).get(url("user_detail", cast.same_unit.pk))
    assert response.status_code == 200
    assert [a.role.code for a in response.context["current"]] == ["staff_member"]
    assert response.context["ended"] == [ended]
    body = response.content.decode()
    assert 'id="current-assignments"' in body and 'id="ended-assignments"' in body
    assert 'id="history-heading"' in body
    end_action = url(
        "assignment_end",
        RoleAssignment.objects.get(role__code="staff_member", user=cast.same_unit).pk,
    )
    assert end_action in body
    assert url("assignment_end", ended.pk) not in body


def test_user_detail_without_manage_rights_has_no_buttons(cast, login):
    body = login(cast.parent_manager).get(url("user_detail", cast.same_unit.pk)).content.decode()
    assert url("assignment_create", cast.same_unit.pk) not in body
    assert url("user_edit", cast.same_unit.pk) not in body
    assert "/end/" not in body


def test_user_detail_hides_roles_outside_the_viewers_scope(cast, login):
    RoleAssignment.objects.create(
        user=cast.same_unit, role=role("staff_member"), node=cast.other_root_node
    )
    response = login(cast.parent_manager).get(url("user_detail", cast.same_unit.pk))
    assert [a.node for a in response.context["current"]] == [cast.unit_a]


# --- Creating users ----------------------------------------------------------------------------


def test_admin_creates_user_with_first_role_and_invitation(
    cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.admin)
    assert client.get(url("user_create")).status_code == 200
    data = {**NEW_USER, "role": role("staff_member").pk, "node": cast.unit_b.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("user_create"), data)
    person = User.objects.get(username="nyanstalld")
    assert response.status_code == 302
    assert response["Location"] == url("user_detail", person.pk)
    assert person.email == "nora@kommun.test" and person.title == "Undersköterska"
    assignment = RoleAssignment.objects.get(user=person)
    assert (assignment.role.code, assignment.node, assignment.include_subtree) == (
        "staff_member",
        cast.unit_b,
        False,
    )
    assert events("accounts.user_created", person).count() == 1
    assert events("accounts.role_assigned", person).count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nora@kommun.test"]
    assert "/account/password/reset/" in message.body
    assert "nyanstalld" in message.body
    # The link works: it opens the set-password form for this person.
    link = next(line for line in message.body.splitlines() if "/account/password/reset/" in line)
    path = link[link.index("/account/") :]
    follow = client.get(path, follow=True)
    assert follow.status_code == 200
    assert follow.context["validlink"] is True
    # The new person now sees unit B.
    assert can(fresh(person), "organisation.view", cast.unit_b)
    assert not can(fresh(person), "organisation.view", cast.unit_a)


def test_invitation_is_not_sent_when_creation_fails(
    cast, login, django_capture_on_commit_callbacks
):
    data = {**NEW_USER, "role": role("staff_member").pk, "node": cast.other_root_node.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.admin).post(url("user_create"), data)
    assert response.status_code == 200
    assert "node" in response.context["form"].errors
    assert not User.objects.filter(username="nyanstalld").exists()
    assert mail.outbox == []


def test_double_post_does_not_create_two_users(cast, login):
    client = login(cast.admin)
    first = client.post(url("user_create"), NEW_USER)
    assert first.status_code == 302
    second = client.post(url("user_create"), {**NEW_USER, "email": "other@kommun.test"})
    assert second.status_code == 200
    assert "username" in second.context["form"].errors
    # Also when only the case differs.
    third = client.post(url("user_create"), {**NEW_USER, "username": "NyAnstalld"})
    assert "username" in third.context["form"].errors
    assert User.objects.filter(username__iexact="nyanstalld").count() == 1


def test_create_form_keeps_what_was_typed(cast, login):
    response = login(cast.admin).post(url("user_create"), {**NEW_USER, "email": "not-an-address"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "email" in form.errors
    assert 'value="Nyanställd"' in response.content.decode()
    assert not User.objects.filter(username="nyanstalld").exists()


def test_create_needs_role_and_node_together(cast, login):
    response = login(cast.admin).post(url("user_create"), {**NEW_USER, "role": role("mas").pk})
    assert "node" in response.context["form"].errors
    assert not User.objects.filter(username="nyanstalld").exists()


def test_unit_manager_cannot_create_users(cast, login):
    for who in (cast.manager_a, cast.same_unit, cast.parent_manager):
        client = login(who)
        assert client.get(url("user_create")).status_code == 403
        assert client.post(url("user_create"), NEW_USER).status_code == 403
    assert not User.objects.filter(username="nyanstalld").exists()


def test_create_offers_only_units_the_actor_manages(cast, login):
    manager = make_unit_user_admin(cast)
    form = login(manager).get(url("user_create")).context["form"]
    assert list(form.fields["node"].queryset) == [cast.unit_a]


# --- Editing, deactivating ---------------------------------------------------------------------


def test_admin_edits_user_details(cast, login):
    client = login(cast.admin)
    assert client.get(url("user_edit", cast.same_unit.pk)).status_code == 200
    response = client.post(
        url("user_edit", cast.same_unit.pk),
        {
            "first_name": "Sara",
            "last_name": "Samma",
            "email": "sara.samma@kommun.test",
            "title": "Socialsekreterare",
            "phone": "08-123",
        },
    )
    assert response.status_code == 302
    person = fresh(cast.same_unit)
    assert person.email == "sara.samma@kommun.test" and person.title == "Socialsekreterare"
    event = events("accounts.user_updated", person).get()
    assert set(event.params["fields"].split(", ")) == {"email", "title", "phone"}


def test_edit_rejects_an_email_in_use(cast, login):
    response = login(cast.admin).post(
        url("user_edit", cast.same_unit.pk),
        {"first_name": "Sara", "last_name": "Samma", "email": "SIBLING@cast.test"},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert fresh(cast.same_unit).email == "same@cast.test"


def test_edit_access(cast, login):
    target = url("user_edit", cast.same_unit.pk)
    assert login(cast.parent_manager).get(target).status_code == 403
    assert login(cast.manager_a).get(target).status_code == 403
    assert login(cast.outsider).get(target).status_code == 403
    assert login(cast.admin).get(url("user_edit", cast.other_root.pk)).status_code == 404


def test_unit_user_admin_cannot_edit_someone_who_also_works_elsewhere(cast, login):
    manager = make_unit_user_admin(cast)
    client = login(manager)
    assert client.get(url("user_edit", cast.same_unit.pk)).status_code == 200
    RoleAssignment.objects.create(user=cast.same_unit, role=role("staff_member"), node=cast.unit_b)
    assert client.get(url("user_edit", cast.same_unit.pk)).status_code == 403
    assert client.post(url("user_deactivate", cast.same_unit.pk)).status_code == 403
    assert fresh(cast.same_unit).is_active


def test_deactivate_and_reactivate(cast, login):
    client = login(cast.admin)
    assert client.get(url("user_deactivate", cast.same_unit.pk)).status_code == 405
    response = client.post(url("user_deactivate", cast.same_unit.pk))
    assert response.status_code == 302
    person = fresh(cast.same_unit)
    assert not person.is_active
    assert not holds(person, "organisation.view")
    assert events("accounts.user_deactivated", person).count() == 1
    # The assignment is kept, so reactivation gives the role back.
    assert RoleAssignment.objects.filter(user=person).exists()
    client.post(url("user_reactivate", person.pk))
    assert holds(fresh(person), "organisation.view")


def test_admin_cannot_deactivate_themself(cast, login):
    login(cast.admin).post(url("user_deactivate", cast.admin.pk))
    assert fresh(cast.admin).is_active


def test_invitation_can_be_sent_again(cast, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.admin).post(url("user_invite", cast.same_unit.pk))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["same@cast.test"]]
    assert events("accounts.invitation_sent", cast.same_unit).count() == 1
    assert login(cast.parent_manager).post(url("user_invite", cast.same_unit.pk)).status_code == 403


# --- Role assignments --------------------------------------------------------------------------


def test_assigning_a_role_gives_scope_at_once(cast, login):
    assert not can(fresh(cast.outsider), "organisation.view", cast.unit_b)
    client = login(cast.admin)
    assert client.get(url("assignment_create", cast.outsider.pk)).status_code == 200
    response = client.post(
        url("assignment_create", cast.outsider.pk),
        {"role": role("staff_member").pk, "node": cast.unit_b.pk},
    )
    assert response.status_code == 302
    outsider = fresh(cast.outsider)
    assert can(outsider, "organisation.view", cast.unit_b)
    assert not can(outsider, "organisation.view", cast.unit_a)
    assert set(OrgNode.objects.visible_to(outsider)) == {cast.unit_b}
    event = events("accounts.role_assigned", outsider).get()
    assert event.params["node"] == "Enhet B" and event.actor == cast.admin


def test_subtree_assignment_covers_the_units_below(cast, login):
    login(cast.admin).post(
        url("assignment_create", cast.outsider.pk),
        {"role": role("department_manager").pk, "node": cast.dept.pk, "include_subtree": "on"},
    )
    outsider = fresh(cast.outsider)
    assert can(outsider, "accounts.view_users", cast.unit_a)
    assert can(outsider, "accounts.view_users", cast.provider_node)


def test_ending_a_role_removes_scope_at_once(cast, login):
    assignment = RoleAssignment.objects.get(user=cast.same_unit)
    assert can(fresh(cast.same_unit), "organisation.view", cast.unit_a)
    client = login(cast.admin)
    assert client.get(url("assignment_end", assignment.pk)).status_code == 405
    response = client.post(url("assignment_end", assignment.pk))
    assert response.status_code == 302
    assert response["Location"] == url("user_detail", cast.same_unit.pk)
    assignment.refresh_from_db()
    assert assignment.valid_until == timezone.localdate() - timedelta(days=1)
    same = fresh(cast.same_unit)
    assert not can(same, "organisation.view", cast.unit_a)
    assert not OrgNode.objects.visible_to(same).exists()
    assert events("accounts.role_ended", same).count() == 1
    # Ending it again is refused and changes nothing.
    client.post(url("assignment_end", assignment.pk))
    assignment.refresh_from_db()
    assert assignment.valid_until == timezone.localdate() - timedelta(days=1)
    assert events("accounts.role_ended", same).count() == 1
    # The person is still listed for the admin, with the role among the ended ones.
    detail = client.get(url("user_detail", same.pk))
    assert detail.context["ended"] == [assignment]


def test_end_form_asks_for_confirmation(cast, login):
    body = login(cast.admin).get(url("user_detail", cast.same_unit.pk)).content.decode()
    end_url = url("assignment_end", RoleAssignment.objects.get(user=cast.same_unit).pk)
    form_tag = body[
        body.index(f'action="{end_url}"') - 40 : body.index(f'action="{end_url}"') + 200
    ]
    assert 'method="post"' in form_tag and "data-confirm=" in form_tag


def test_duplicate_assignment_is_a_form_error(cast, login):
    before = RoleAssignment.objects.count()
    response = login(cast.admin).post(
        url("assignment_create", cast.same_unit.pk),
        {"role": role("staff_member").pk, "node": cast.unit_a.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert RoleAssignment.objects.count() == before
    assert not events("accounts.role_assigned").exists()


def test_an_ended_role_can_be_given_again(cast, login):
    assignment = RoleAssignment.objects.get(user=cast.same_unit)
    services.end_assignment(assignment, actor=cast.admin)
    response = login(cast.admin).post(
        url("assignment_create", cast.same_unit.pk),
        {"role": role("staff_member").pk, "node": cast.unit_a.pk},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=cast.same_unit).count() == 1
    assert can(fresh(cast.same_unit), "organisation.view", cast.unit_a)


def test_assignment_dates_are_checked(cast, login):
    response = login(cast.admin).post(
        url("assignment_create", cast.outsider.pk),
        {
            "role": role("staff_member").pk,
            "node": cast.unit_a.pk,
            "valid_from": "2026-05-01",
            "valid_until": "2026-04-30",
        },
    )
    assert response.status_code == 200
    assert "valid_until" in response.context["form"].errors
    assert not RoleAssignment.objects.filter(user=cast.outsider).exists()


def test_a_future_assignment_gives_nothing_yet(cast):
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.assign_role(
        actor=cast.admin,
        user=cast.outsider,
        role=role("staff_member"),
        node=cast.unit_a,
        valid_from=tomorrow,
    )
    assert not can(fresh(cast.outsider), "organisation.view", cast.unit_a)


def test_unit_manager_cannot_assign_roles_anywhere(cast, login):
    """By default only the system administrator holds accounts.manage_users (need-to-know)."""
    for who, node in ((cast.manager_a, cast.unit_b), (cast.manager_a, cast.unit_a)):
        response = login(who).post(
            url("assignment_create", cast.same_unit.pk),
            {"role": role("staff_member").pk, "node": node.pk},
        )
        assert response.status_code == 403
    assert login(cast.same_unit).get(url("assignment_create", cast.same_unit.pk)).status_code == 403
    assert RoleAssignment.objects.filter(user=cast.same_unit).count() == 1


def test_unit_manager_cannot_end_roles(cast, login):
    assignment = RoleAssignment.objects.get(user=cast.same_unit)
    for who in (cast.manager_a, cast.parent_manager, cast.same_unit, cast.outsider):
        assert login(who).post(url("assignment_end", assignment.pk)).status_code == 403
    assignment.refresh_from_db()
    assert assignment.valid_until is None


def test_manage_users_at_one_unit_cannot_reach_the_sibling(cast, login):
    manager = make_unit_user_admin(cast)
    client = login(manager)
    # The sibling unit is not among the choices: a form error, nothing created.
    response = client.post(
        url("assignment_create", cast.same_unit.pk),
        {"role": role("quality_representative").pk, "node": cast.unit_b.pk},
    )
    assert response.status_code == 200
    assert "node" in response.context["form"].errors
    # The sibling's people are not visible, and their roles cannot be ended.
    assert client.get(url("assignment_create", cast.sibling.pk)).status_code == 404
    sibling_role = RoleAssignment.objects.get(user=cast.sibling)
    assert client.post(url("assignment_end", sibling_role.pk)).status_code == 404
    assert RoleAssignment.objects.filter(user=cast.same_unit).count() == 1
    # At its own unit it may give only a role whose permissions it holds itself.
    ok = client.post(
        url("assignment_create", cast.same_unit.pk),
        {"role": role("quality_developer").pk, "node": cast.unit_a.pk},
    )
    assert ok.status_code == 200  # it may not edit the responsibility matrix itself
    assert "role" in ok.context["form"].errors
    reader = Role.objects.create(code="reader", name="Läsare", order=300)
    reader.permissions.set(Permission.objects.filter(key="organisation.view"))
    ok = client.post(
        url("assignment_create", cast.same_unit.pk), {"role": reader.pk, "node": cast.unit_a.pk}
    )
    assert ok.status_code == 302
    assert RoleAssignment.objects.filter(user=cast.same_unit, role=reader).exists()


def test_manage_users_at_one_unit_cannot_give_the_subtree_or_more_rights(cast):
    manager = make_unit_user_admin(cast)
    with pytest.raises(ValidationError) as info:
        services.assign_role(
            actor=manager,
            user=cast.same_unit,
            role=role("system_administrator"),
            node=cast.unit_a,
        )
    assert "role" in info.value.error_dict
    with pytest.raises(ValidationError) as info:
        services.assign_role(
            actor=manager,
            user=cast.same_unit,
            role=role("unit_user_admin"),
            node=cast.unit_a,
            include_subtree=True,
        )
    assert "include_subtree" in info.value.error_dict
    with pytest.raises(PermissionDenied):
        services.assign_role(
            actor=manager, user=cast.sibling, role=role("unit_user_admin"), node=cast.unit_b
        )
    with pytest.raises(PermissionDenied):
        services.assign_role(
            actor=cast.manager_a, user=cast.sibling, role=role("staff_member"), node=cast.unit_b
        )
    assert RoleAssignment.objects.filter(user__in=[cast.same_unit, cast.sibling]).count() == 2


def test_end_assignment_on_a_given_day(cast):
    assignment = RoleAssignment.objects.get(user=cast.same_unit)
    last_day = timezone.localdate() + timedelta(days=30)
    services.end_assignment(assignment, actor=cast.admin, on=last_day)
    assignment.refresh_from_db()
    assert assignment.valid_until == last_day
    assert can(fresh(cast.same_unit), "organisation.view", cast.unit_a)  # until that day
    # Not ended yet, so it can still be ended at once.
    services.end_assignment(assignment, actor=cast.admin)
    assert not can(fresh(cast.same_unit), "organisation.view", cast.unit_a)
    with pytest.raises(ValidationError):
        services.end_assignment(assignment, actor=cast.admin)


def test_the_last_role_manager_cannot_be_removed(cast, login):
    admin_role = RoleAssignment.objects.get(user=cast.admin)
    response = login(cast.admin).post(url("assignment_end", admin_role.pk))
    assert response.status_code == 302
    admin_role.refresh_from_db()
    assert admin_role.valid_until is None
    assert holds(fresh(cast.admin), "accounts.manage_roles")


# --- The role → permission matrix ---------------------------------------------------------------


def matrix_data(changes=None):
    """The POST of the matrix page as shown now, with {role code: keys} changed."""
    changes = changes or {}
    data = {}
    for r in Role.objects.prefetch_related("permissions"):
        held = sorted(p.key for p in r.permissions.all())
        data[f"shown_{r.pk}"] = ",".join(held)
        data[f"role_{r.pk}"] = sorted(changes.get(r.code, held))
    return data


def test_roles_page_access(cast, login):
    assert login(cast.admin).get(url("roles")).status_code == 200
    for who in (cast.manager_a, cast.parent_manager, cast.quality, cast.same_unit, cast.outsider):
        assert login(who).get(url("roles")).status_code == 403
        assert login(who).post(url("roles"), matrix_data()).status_code == 403


def test_roles_page_shows_every_role_and_key(cast, login):
    response = login(cast.admin).get(url("roles"))
    body = response.content.decode()
    for r in Role.objects.all():
        assert f'id="role-{r.code}"' in body
    for key in PERMISSION_KEYS:
        assert f'value="{key}"' in body


def test_matrix_save_changes_what_a_role_can_do(cast, login):
    assert holds(fresh(cast.same_unit), "organisation.view")
    staff = role("staff_member")
    keys = set(staff.permissions.values_list("key", flat=True)) - {"organisation.view"}
    response = login(cast.admin).post(url("roles"), matrix_data({"staff_member": keys}))
    assert response.status_code == 302
    assert set(staff.permissions.values_list("key", flat=True)) == keys
    assert not holds(fresh(cast.same_unit), "organisation.view")
    assert holds(fresh(cast.same_unit), "legal.view")
    event = events("accounts.role_permissions_changed", staff).get()
    assert event.params["removed"] == "organisation.view"
    assert event.params["added"] == ""
    # Only the changed role got an event.
    assert events("accounts.role_permissions_changed").count() == 1


def test_matrix_save_adds_a_key(cast, login):
    assert not holds(fresh(cast.same_unit), "accounts.view_users")
    staff = role("staff_member")
    keys = set(staff.permissions.values_list("key", flat=True)) | {"accounts.view_users"}
    login(cast.admin).post(url("roles"), matrix_data({"staff_member": keys}))
    same = fresh(cast.same_unit)
    assert holds(same, "accounts.view_users")
    assert login(same).get(url("users")).status_code == 200


def test_matrix_without_changes_records_nothing(cast, login):
    response = login(cast.admin).post(url("roles"), matrix_data())
    assert response.status_code == 302
    assert not events("accounts.role_permissions_changed").exists()


def test_matrix_does_not_undo_another_administrators_change(cast, login):
    stale = matrix_data()  # page shown to administrator 1
    staff, mas = role("staff_member"), role("mas")
    # Meanwhile administrator 2 gives staff members the history.
    services.set_role_permissions(
        actor=cast.admin,
        role=staff,
        keys=set(staff.permissions.values_list("key", flat=True)) | {"audit.view_history"},
    )
    # Administrator 1 saves a change to MAS only, from the stale page.
    mas_keys = set(mas.permissions.values_list("key", flat=True)) | {"organisation.manage"}
    stale[f"role_{mas.pk}"] = sorted(mas_keys)
    login(cast.admin).post(url("roles"), stale)
    assert "audit.view_history" in staff.permissions.values_list("key", flat=True)
    assert "organisation.manage" in mas.permissions.values_list("key", flat=True)


def test_matrix_refuses_to_lock_everyone_out(cast, login):
    sysadmin = role("system_administrator")
    keys = set(PERMISSION_KEYS) - {"accounts.manage_roles"}
    response = login(cast.admin).post(url("roles"), matrix_data({"system_administrator": keys}))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "accounts.manage_roles" in sysadmin.permissions.values_list("key", flat=True)


def test_matrix_rejects_unknown_keys(cast, login):
    data = matrix_data()
    staff = role("staff_member")
    data[f"role_{staff.pk}"] = ["organisation.view", "nonsense.key"]
    response = login(cast.admin).post(url("roles"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    with pytest.raises(ValidationError):
        services.set_role_permissions(actor=cast.admin, role=staff, keys=["nonsense.key"])
    with pytest.raises(PermissionDenied):
        services.set_role_permissions(actor=cast.manager_a, role=staff, keys=[])
    assert "organisation.view" in staff.permissions.values_list("key", flat=True)


# --- The admin -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/admin/accounts/user/",
        "/admin/accounts/role/",
        "/admin/accounts/permission/",
        "/admin/accounts/roleassignment/",
        "/admin/accounts/user/add/",
    ],
)
def test_admin_pages_for_system_administrators(cast, login, path):
    assert login(cast.admin).get(path).status_code == 200
    assert login(cast.parent_manager).get(path).status_code == 302


def test_admin_user_change_page(cast, login):
    response = login(cast.admin).get(f"/admin/accounts/user/{cast.same_unit.pk}/change/")
    assert response.status_code == 200
    assert login(cast.admin).get("/admin/accounts/user/", {"q": "samma"}).status_code == 200
