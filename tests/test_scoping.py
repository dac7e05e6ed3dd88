from datetime import timedelta

from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from accounts.scoping import can, forget_grants, holds
from organisation.models import OrgNode


def visible_names(user, key="organisation.view"):
    return set(OrgNode.objects.visible_to(user, key).values_list("name", flat=True))


def test_staff_member_sees_only_own_unit(cast):
    assert visible_names(cast.same_unit) == {"Enhet A"}


def test_subtree_assignment_covers_everything_below(cast):
    assert visible_names(cast.parent_manager) == {"Avdelningen", "Enhet A", "Enhet B", "Utföraren"}


def test_provider_staff_see_only_their_own_subtree(cast):
    assert visible_names(cast.provider_staff) == {"Utföraren"}
    assert not can(cast.provider_staff, "organisation.view", cast.unit_a)


def test_outsider_sees_nothing_and_holds_nothing(cast):
    assert visible_names(cast.outsider) == set()
    assert not holds(cast.outsider, "organisation.view")
    assert not can(cast.outsider, "organisation.view", cast.unit_a)


def test_second_root_is_separate(cast):
    assert visible_names(cast.other_root) == {"Annan nämnd"}
    assert "Annan nämnd" not in visible_names(cast.admin)


def test_can_matches_visible_to(cast):
    for user in (cast.same_unit, cast.sibling, cast.parent_manager, cast.provider_staff):
        for node in OrgNode.objects.all():
            expected = node.name in visible_names(user)
            assert can(user, "organisation.view", node) is expected, (user, node)


def test_ended_and_future_assignments_grant_nothing(cast):
    today = timezone.localdate()
    user = User.objects.create(username="temp")
    role = Role.objects.get(code="staff_member")
    ra = RoleAssignment.objects.create(
        user=user, role=role, node=cast.unit_b, valid_until=today - timedelta(days=1)
    )
    assert visible_names(user) == set()
    ra.valid_until = None
    ra.valid_from = today + timedelta(days=1)
    ra.save()
    forget_grants(user)
    assert visible_names(user) == set()
    ra.valid_from = today
    ra.save()
    forget_grants(user)
    assert visible_names(user) == {"Enhet B"}


def test_permissions_follow_role_data_not_code(cast):
    role = Role.objects.get(code="staff_member")
    role.permissions.remove(*role.permissions.filter(key="organisation.view"))
    user = User.objects.get(pk=cast.same_unit.pk)
    assert visible_names(user) == set()


def test_inactive_user_holds_nothing(cast):
    cast.same_unit.is_active = False
    assert not holds(cast.same_unit, "organisation.view")


def test_grants_are_read_once_per_request(cast, django_assert_num_queries):
    user = User.objects.get(pk=cast.parent_manager.pk)
    with django_assert_num_queries(1):
        for node in (cast.unit_a, cast.unit_b, cast.dept):
            can(user, "organisation.view", node)
            holds(user, "legal.view")


def test_user_list_scope(cast):
    seen = set(User.objects.visible_to(cast.parent_manager).values_list("username", flat=True))
    assert {"same", "sibling", "manager_a", "provider", "parent"} <= seen
    assert "other" not in seen and "outsider" not in seen
    everyone = set(User.objects.visible_to(cast.admin).values_list("username", flat=True))
    assert "outsider" in everyone  # people with no role yet are seen at the top of the tree
