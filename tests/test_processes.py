"""The process register through its services: processes, ordered activities, routines linked,
collaboration, permissions and double submits."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from accounts.scoping import forget_grants
from audit.models import Event
from legal.models import RegulationSection
from organisation.models import Service
from processes import services
from processes.models import Activity, Process
from tests.test_processes_makers import make_process, make_routine, published


def _positions(process):
    return list(process.activities.order_by("position").values_list("name", "position"))


def _add(process, name, actor=None, **extra):
    extra.setdefault("responsible_note", "Kontaktperson")
    return services.add_activity(process, actor=actor or process.owner, name=name, **extra)


def test_create_process_with_services_and_legal_references(cast):
    service = Service.objects.first()
    section = RegulationSection.objects.first()
    process = make_process(cast, services=[service], legal_sections=[section])
    assert process.just_created
    assert process.unit == cast.unit_a
    assert list(process.services.all()) == [service]
    assert list(process.legal_sections.all()) == [section]
    assert Event.objects.filter(verb="processes.created", object_id=str(process.pk)).count() == 1


def test_double_submit_makes_one_process(cast):
    token = uuid.uuid4()
    first = make_process(cast, form_token=token)
    second = make_process(cast, form_token=token)
    assert first.pk == second.pk
    assert not second.just_created
    assert Process.objects.count() == 1


def test_someone_elses_form_token_is_refused(cast):
    token = uuid.uuid4()
    make_process(cast, form_token=token)
    with pytest.raises(ValidationError):
        make_process(cast, unit=cast.unit_b, actor=cast.sibling, form_token=token)


def test_manager_of_another_unit_may_not_create_there(cast):
    with pytest.raises(ValidationError) as info:
        make_process(cast, unit=cast.unit_b)
    assert "unit" in info.value.error_dict


def test_owner_must_see_the_node(cast):
    with pytest.raises(ValidationError) as info:
        make_process(cast, owner=cast.sibling)
    assert "owner" in info.value.error_dict
    with pytest.raises(ValidationError):
        make_process(cast, owner=cast.outsider)
    # Staff of a unit below a department may own the department's process.
    process = make_process(cast, unit=cast.dept, actor=cast.parent_manager, owner=cast.same_unit)
    assert process.owner == cast.same_unit


def test_owner_candidates_follow_the_tree(cast):
    at_unit = set(services.owner_candidates(cast.unit_a))
    assert {cast.same_unit, cast.manager_a, cast.parent_manager, cast.quality} <= at_unit
    assert cast.sibling not in at_unit and cast.outsider not in at_unit
    at_dept = set(services.owner_candidates(cast.dept))
    assert {cast.same_unit, cast.sibling} <= at_dept


def test_update_process(cast):
    process = make_process(cast)
    services.update_process(
        process, actor=cast.manager_a, name="  Ny   inskrivning ", purpose="Nytt syfte"
    )
    process.refresh_from_db()
    assert process.name == "Ny inskrivning"
    assert process.purpose == "Nytt syfte"
    with pytest.raises(PermissionDenied):
        services.update_process(process, actor=cast.sibling, name="X")
    with pytest.raises(ValueError):
        services.update_process(process, actor=cast.manager_a, is_active=False)


def test_moving_a_process_keeps_its_routines_fitting(cast):
    process = make_process(cast, actor=cast.parent_manager)
    _add(process, "Steg", routines=[make_routine(cast, unit=cast.unit_a)])
    with pytest.raises(ValidationError) as info:
        services.update_process(process, actor=cast.parent_manager, unit=cast.unit_b)
    assert "unit" in info.value.error_dict
    services.update_process(process, actor=cast.parent_manager, unit=cast.dept)
    process.refresh_from_db()
    assert process.unit == cast.dept


def test_deactivate_and_reactivate(cast):
    process = make_process(cast)
    services.deactivate_process(process, actor=cast.manager_a)
    process.refresh_from_db()
    assert not process.is_active
    services.reactivate_process(process, actor=cast.manager_a)
    process.refresh_from_db()
    assert process.is_active
    with pytest.raises(PermissionDenied):
        services.deactivate_process(process, actor=cast.same_unit)
    verbs = list(Event.objects.filter(object_id=str(process.pk)).values_list("verb", flat=True))
    assert "processes.deactivated" in verbs and "processes.reactivated" in verbs


# -- activities ------------------------------------------------------------------------------


def test_activities_are_numbered_in_order(cast):
    process = make_process(cast)
    for name in ("Ett", "Två", "Tre"):
        _add(process, name)
    assert _positions(process) == [("Ett", 1), ("Två", 2), ("Tre", 3)]


def test_activity_needs_someone_responsible(cast):
    process = make_process(cast)
    with pytest.raises(ValidationError):
        services.add_activity(process, actor=cast.manager_a, name="Ett")
    role = Role.objects.get(code="unit_manager")
    activity = services.add_activity(
        process, actor=cast.manager_a, name="Ett", responsible_role=role
    )
    assert activity.responsible_role == role


def test_double_submit_makes_one_activity(cast):
    process = make_process(cast)
    token = uuid.uuid4()
    _add(process, "Ett", form_token=token)
    again = _add(process, "Ett", form_token=token)
    assert not again.just_created
    assert process.activities.count() == 1


def test_move_up_and_down(cast):
    process = make_process(cast)
    one, two, three = (_add(process, name) for name in ("Ett", "Två", "Tre"))
    services.move_activity(three, actor=cast.manager_a, direction="up")
    assert _positions(process) == [("Ett", 1), ("Tre", 2), ("Två", 3)]
    services.move_activity(one, actor=cast.manager_a, direction="down")
    assert _positions(process) == [("Tre", 1), ("Ett", 2), ("Två", 3)]
    # At the edges nothing moves.
    services.move_activity(Activity.objects.get(name="Tre"), actor=cast.manager_a, direction="up")
    services.move_activity(two, actor=cast.manager_a, direction="down")
    assert _positions(process) == [("Tre", 1), ("Ett", 2), ("Två", 3)]
    assert Event.objects.filter(verb="processes.activity_moved").count() == 2


def test_remove_renumbers(cast):
    process = make_process(cast)
    one, two, three, four = (_add(process, name) for name in ("Ett", "Två", "Tre", "Fyra"))
    services.move_activity(four, actor=cast.manager_a, direction="up")
    services.remove_activity(two, actor=cast.manager_a)
    assert _positions(process) == [("Ett", 1), ("Fyra", 2), ("Tre", 3)]
    services.remove_activity(one, actor=cast.manager_a)
    assert _positions(process) == [("Fyra", 1), ("Tre", 2)]
    _add(process, "Fem")
    assert _positions(process) == [("Fyra", 1), ("Tre", 2), ("Fem", 3)]


def test_only_managers_of_the_node_change_activities(cast):
    process = make_process(cast)
    activity = _add(process, "Ett")
    for actor in (cast.same_unit, cast.sibling, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.add_activity(process, actor=actor, name="X", responsible_note="Y")
        with pytest.raises(PermissionDenied):
            services.move_activity(activity, actor=actor, direction="down")
        with pytest.raises(PermissionDenied):
            services.remove_activity(activity, actor=actor)
    services.update_activity(activity, actor=cast.parent_manager, name="Ett, ändrad")
    activity.refresh_from_db()
    assert activity.name == "Ett, ändrad"


def test_routines_that_apply_or_lie_below_can_be_linked(cast):
    process = make_process(cast, unit=cast.dept, actor=cast.parent_manager)
    above = make_routine(cast, unit=cast.administration)
    own = make_routine(cast, unit=cast.dept)
    below = make_routine(cast, unit=cast.unit_b)
    other_tree = make_routine(cast, unit=cast.other_root_node)
    activity = _add(process, "Ett", actor=cast.parent_manager, routines=[above, own, below])
    assert set(activity.routines.all()) == {above, own, below}
    with pytest.raises(ValidationError) as info:
        services.set_activity_routines(activity, actor=cast.parent_manager, routines=[other_tree])
    assert "routines" in info.value.error_dict


def test_only_routines_the_actor_sees_can_be_linked(cast):
    process = make_process(cast, unit=cast.dept, actor=cast.parent_manager)
    b_routine = make_routine(cast, unit=cast.unit_b)
    a_routine = make_routine(cast, unit=cast.unit_a)
    # The unit manager of A holds processes.manage only within A: give them the department.
    assert list(services.linkable_routines(cast.manager_a, cast.dept)) == [a_routine]
    activity = _add(process, "Ett", actor=cast.parent_manager, routines=[b_routine])
    with pytest.raises(PermissionDenied):
        services.set_activity_routines(activity, actor=cast.manager_a, routines=[a_routine])
    unit_process = make_process(cast)
    with pytest.raises(ValidationError):
        _add(unit_process, "Två", routines=[b_routine])


def test_links_the_editor_cannot_see_are_kept(cast):
    from accounts.models import RoleAssignment

    process = make_process(cast, unit=cast.dept, actor=cast.parent_manager)
    b_routine = make_routine(cast, unit=cast.unit_b)
    dept_routine = make_routine(cast, unit=cast.dept)
    activity = _add(process, "Ett", actor=cast.parent_manager, routines=[b_routine])
    # A second manager of the department who sees unit A only.
    RoleAssignment.objects.create(
        user=cast.manager_a, role=Role.objects.get(code="unit_manager"), node=cast.dept
    )
    forget_grants(cast.manager_a)
    services.set_activity_routines(activity, actor=cast.manager_a, routines=[dept_routine])
    assert set(activity.routines.all()) == {b_routine, dept_routine}


def test_withdrawn_routines_are_not_offered(cast):
    from django.utils import timezone

    routine = make_routine(cast)
    routine.withdrawn_at = timezone.now()
    routine.save()
    assert routine not in services.linkable_routines(cast.manager_a, cast.unit_a)


# -- collaboration ---------------------------------------------------------------------------


def test_collaboration_crud(cast):
    process = make_process(cast)
    routine = published(cast)
    token = uuid.uuid4()
    collaboration = services.add_collaboration(
        process,
        actor=cast.manager_a,
        kind="region",
        partner="Vårdcentralen",
        purpose="Samordnad individuell plan",
        agreement="Dnr 2026/12",
        routine=routine,
        form_token=token,
    )
    again = services.add_collaboration(
        process, actor=cast.manager_a, kind="region", partner="Vårdcentralen", form_token=token
    )
    assert again.pk == collaboration.pk and process.collaborations.count() == 1
    services.update_collaboration(collaboration, actor=cast.manager_a, partner="Region Norr")
    collaboration.refresh_from_db()
    assert collaboration.partner == "Region Norr" and collaboration.routine == routine
    services.remove_collaboration(collaboration, actor=cast.manager_a)
    assert process.collaborations.count() == 0
    verbs = set(Event.objects.filter(object_id=str(process.pk)).values_list("verb", flat=True))
    assert {
        "processes.collaboration_added",
        "processes.collaboration_updated",
        "processes.collaboration_removed",
    } <= verbs


def test_internal_collaboration_names_the_unit(cast):
    process = make_process(cast)
    with pytest.raises(ValidationError) as info:
        services.add_collaboration(process, actor=cast.manager_a, kind="internal", partner="")
    assert "internal_unit" in info.value.error_dict
    collaboration = services.add_collaboration(
        process, actor=cast.manager_a, kind="internal", internal_unit=cast.unit_b
    )
    assert collaboration.partner == "Enhet B"
    with pytest.raises(ValidationError):
        services.add_collaboration(
            process, actor=cast.manager_a, kind="internal", internal_unit=cast.other_root_node
        )


def test_collaboration_routine_must_be_linkable(cast):
    process = make_process(cast)
    with pytest.raises(ValidationError) as info:
        services.add_collaboration(
            process,
            actor=cast.manager_a,
            kind="police",
            partner="Polisen",
            routine=make_routine(cast, unit=cast.unit_b),
        )
    assert "routine" in info.value.error_dict
    with pytest.raises(PermissionDenied):
        services.add_collaboration(process, actor=cast.sibling, kind="police", partner="Polisen")
