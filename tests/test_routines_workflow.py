"""The routine workflow: the state machine, approval authority per level, publication.

Cast (tests/cast.py): manager_a is unit manager of unit A (routines.draft/approve/manage there),
parent_manager the department manager, same_unit and sibling staff members of A and B.
ApprovalAuthority (routines/data/approval.json): unit → unit manager, department → department
manager, board → administration manager with a recorded board decision.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from audit.models import Event
from routines.models import (
    ReferenceSequence,
    RoutineVersion,
    VersionState,
    VersionTransition,
)
from routines.services.base import add_months
from routines.services.draft import new_version, update_draft
from routines.services.publish import publish, publish_due, publish_imported, withdraw
from routines.services.review import add_comment, approve, send_back, submit_for_review
from routines.signals import version_ended, version_published
from tests.test_routines_w_helpers import first, make, person, published, reload


def states(routine):
    return dict(routine.versions.values_list("number", "state"))


def test_create_gives_a_reference_and_a_sanitised_draft(cast):
    routine = make(cast, body='<p onclick="steal()">Text<script>alert(1)</script></p>')
    second = make(cast, title="Annan rutin")
    assert routine.reference == "RU-00001" and second.reference == "RU-00002"
    assert ReferenceSequence.objects.get().last == 2
    version = first(routine)
    assert version.state == VersionState.DRAFT
    assert "onclick" not in version.body and "script" not in version.body
    assert version.body == "<p>Text</p>"
    assert version.search_text.startswith("Läkemedelshantering\n\nText")


def test_create_is_refused_outside_ones_units_and_without_text(cast):
    with pytest.raises(ValidationError) as error:
        make(cast, unit=cast.unit_b)
    assert "unit" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        make(cast, body="<script>x</script>")
    assert "body" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        make(cast, owner=cast.sibling)
    assert "owner" in error.value.error_dict


def test_the_whole_way_with_review_and_transition_rows(cast, today):
    routine = make(cast)
    version = first(routine)
    submit_for_review(version, actor=cast.manager_a, reviewers=[cast.same_unit])
    assert version.state == VersionState.REVIEW
    add_comment(version, actor=cast.same_unit, text="Lägg till steg 3.", done=True)
    assert version.reviewers.get().done_at is not None
    send_back(version, actor=cast.manager_a, note="Steg 3 saknas")
    update_draft(version, actor=cast.manager_a, body="<p>Steg 1, 2 och 3.</p>")
    submit_for_review(version, actor=cast.manager_a, reviewers=[cast.same_unit])
    # Submitted again: the reviewer is asked anew.
    assert version.reviewers.get().done_at is None
    approve(version, actor=cast.manager_a)
    publish(version, actor=cast.manager_a)
    routine.refresh_from_db()
    assert routine.current_version_id == version.pk
    assert routine.next_review_on == add_months(today, 12)
    moves = list(
        VersionTransition.objects.filter(version=version).values_list("from_state", "to_state")
    )
    assert moves == [
        ("draft", "review"),
        ("review", "draft"),
        ("draft", "review"),
        ("review", "approved"),
        ("approved", "published"),
    ]
    assert all(
        t.actor_id == cast.manager_a.pk for t in VersionTransition.objects.filter(version=version)
    )
    verbs = set(Event.objects.filter(object_id=str(routine.pk)).values_list("verb", flat=True))
    assert {
        "routines.created",
        "routines.submitted",
        "routines.sent_back",
        "routines.approved",
        "routines.published",
        "routines.commented",
        "routines.review_given",
    } <= verbs


@pytest.mark.parametrize(
    "state, refused",
    [
        ("draft", ["publish", "send_back"]),
        ("review", ["publish", "submit", "edit"]),
        ("approved", ["submit", "approve", "withdraw", "edit"]),
        ("published", ["submit", "approve", "send_back", "publish", "edit"]),
        ("withdrawn", ["submit", "approve", "publish", "withdraw", "send_back", "edit"]),
    ],
)
def test_moves_outside_the_table_are_refused_and_change_nothing(cast, state, refused):
    routine = make(cast)
    version = first(routine)
    m = cast.manager_a
    if state in ("review",):
        submit_for_review(version, actor=m, reviewers=[cast.same_unit])
    if state in ("approved", "published"):
        approve(version, actor=m)
    if state == "published":
        publish(version, actor=m)
    if state == "withdrawn":
        withdraw(version, actor=m, reason="Behövs inte")
    calls = {
        "publish": lambda: publish(version, actor=m),
        "send_back": lambda: send_back(version, actor=m, note="x"),
        "submit": lambda: submit_for_review(version, actor=m, reviewers=[cast.same_unit]),
        "approve": lambda: approve(version, actor=m),
        "withdraw": lambda: withdraw(version, actor=m, reason="x"),
        "edit": lambda: update_draft(version, actor=m, body="<p>Ny</p>"),
    }
    before = VersionTransition.objects.count()
    for name in refused:
        with pytest.raises(ValidationError):
            calls[name]()
    assert reload(version).state == state
    assert VersionTransition.objects.count() == before


def test_people_without_the_right_are_refused(cast):
    version = first(make(cast))
    with pytest.raises(PermissionDenied):
        submit_for_review(version, actor=cast.same_unit, reviewers=[cast.same_unit])
    with pytest.raises(PermissionDenied):
        approve(version, actor=cast.same_unit)
    with pytest.raises(PermissionDenied):
        update_draft(version, actor=cast.sibling, body="<p>x</p>")
    with pytest.raises(ValidationError) as error:
        submit_for_review(version, actor=cast.manager_a, reviewers=[cast.sibling])
    assert "reviewers" in error.value.error_dict
    submit_for_review(version, actor=cast.manager_a, reviewers=[cast.same_unit])
    colleague = person("kollega", "staff_member", cast.unit_a, subtree=False)
    for outside in (colleague, cast.sibling):
        with pytest.raises(PermissionDenied):
            add_comment(version, actor=outside, text="?")
    assert not version.comments.exists()


# -- approval authority per level -------------------------------------------------------------


def test_unit_manager_approves_a_unit_routine_but_not_a_department_one(cast):
    unit_version = first(make(cast))
    approve(unit_version, actor=cast.manager_a)
    assert unit_version.approved_by == cast.manager_a
    assert unit_version.approved_as == "Enhetschef"
    dept_version = first(
        make(cast, unit=cast.dept, actor=cast.parent_manager, owner=cast.parent_manager)
    )
    with pytest.raises(PermissionDenied):
        approve(dept_version, actor=cast.manager_a)
    # The department manager holds the department's authority, not the unit manager's.
    other = first(make(cast, title="Annan"))
    with pytest.raises(PermissionDenied):
        approve(other, actor=cast.parent_manager)
    approve(dept_version, actor=cast.parent_manager)
    assert dept_version.approved_as == "Avdelningschef"


def test_board_level_needs_paragraph_registry_number_and_date(cast, today):
    head = person("chef", "administration_manager", cast.board)
    version = first(make(cast, unit=cast.board, actor=head, owner=head))
    with pytest.raises(ValidationError) as error:
        approve(version, actor=head)
    assert set(error.value.error_dict) == {
        "board_paragraph",
        "board_registry_number",
        "board_decided_on",
    }
    with pytest.raises(ValidationError):
        approve(
            version,
            actor=head,
            board_paragraph="§ 47",
            board_registry_number="SN 2026/12",
            board_decided_on=today + datetime.timedelta(days=1),
        )
    assert reload(version).state == VersionState.DRAFT
    approve(
        version,
        actor=head,
        board_paragraph="§ 47",
        board_registry_number="SN 2026/12",
        board_decided_on=today,
    )
    version = reload(version)
    assert version.state == VersionState.APPROVED
    assert version.board_paragraph == "§ 47" and version.board_registry_number == "SN 2026/12"
    assert "§ 47" in version.approved_as and "SN 2026/12" in version.approved_as


def test_an_ended_assignment_no_longer_approves(cast, today):
    from accounts.models import RoleAssignment

    RoleAssignment.objects.filter(user=cast.manager_a).update(
        valid_until=today - datetime.timedelta(days=1)
    )
    version = first(make(cast, actor=cast.quality, owner=cast.quality))
    with pytest.raises(PermissionDenied):
        approve(version, actor=cast.manager_a)


# -- publication ------------------------------------------------------------------------------


def test_one_published_at_a_time_and_history_stays_readable(cast):
    sent = []
    version_published.connect(
        lambda **kw: sent.append(
            ("published", kw["version"].number, kw["previous"] and kw["previous"].number)
        ),
        weak=False,
        dispatch_uid="t1",
    )
    version_ended.connect(
        lambda **kw: sent.append(("ended", kw["version"].number, None)),
        weak=False,
        dispatch_uid="t2",
    )
    try:
        routine = published(cast)
        v2 = new_version(routine, actor=cast.manager_a, change_summary="Nytt steg")
        assert v2.number == 2 and v2.body == first(routine).body
        with pytest.raises(ValidationError):
            new_version(routine, actor=cast.manager_a)
        update_draft(v2, actor=cast.manager_a, body="<p>Tre personer kontrollerar.</p>")
        approve(v2, actor=cast.manager_a)
        publish(v2, actor=cast.manager_a)
    finally:
        version_published.disconnect(dispatch_uid="t1")
        version_ended.disconnect(dispatch_uid="t2")
    assert states(routine) == {1: "superseded", 2: "published"}
    routine.refresh_from_db()
    assert routine.current_version_id == v2.pk
    old = first(routine)
    assert old.ended_at is not None and "2" in old.end_reason
    assert "dubbelkontrolleras" in old.body
    assert sent == [("published", 1, None), ("ended", 1, None), ("published", 2, 1)]


def test_the_database_refuses_two_published_versions(cast):
    routine = published(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutineVersion.objects.create(
            routine=routine, number=9, state="published", created_by=cast.manager_a
        )


def test_a_future_date_waits_for_publish_due(cast, today):
    routine = published(cast)
    v2 = new_version(routine, actor=cast.manager_a)
    approve(v2, actor=cast.manager_a)
    later = today + datetime.timedelta(days=10)
    publish(v2, actor=cast.manager_a, effective_from=later)
    assert reload(v2).state == VersionState.APPROVED and reload(v2).effective_from == later
    assert publish_due(today=today) == 0
    assert publish_due(today=later) == 1
    assert publish_due(today=later) == 0
    routine.refresh_from_db()
    assert states(routine) == {1: "superseded", 2: "published"}
    assert routine.next_review_on == add_months(later, 12)
    assert VersionTransition.objects.filter(version=v2, to_state="published").get().actor is None


def test_a_past_date_is_refused(cast, today):
    version = first(make(cast))
    approve(version, actor=cast.manager_a)
    with pytest.raises(ValidationError) as error:
        publish(version, actor=cast.manager_a, effective_from=today - datetime.timedelta(days=1))
    assert "effective_from" in error.value.error_dict


def test_withdraw_a_published_routine_and_abandon_a_draft(cast):
    routine = published(cast)
    with pytest.raises(ValidationError):
        withdraw(routine.current_version, actor=cast.manager_a, reason=" ")
    with pytest.raises(PermissionDenied):
        withdraw(routine.current_version, actor=cast.same_unit, reason="Fel")
    withdraw(routine.current_version, actor=cast.manager_a, reason="Ersätts av lag")
    routine.refresh_from_db()
    assert routine.current_version is None and routine.withdrawn_at is not None
    v2 = new_version(routine, actor=cast.manager_a)
    withdraw(v2, actor=cast.manager_a, reason="Fel spår")
    assert states(routine) == {1: "withdrawn", 2: "withdrawn"}


def test_revoking_an_approval_clears_it(cast):
    version = first(make(cast))
    approve(version, actor=cast.manager_a)
    send_back(version, actor=cast.manager_a, note="Fel datum")
    version = reload(version)
    assert version.state == VersionState.DRAFT
    assert version.approved_by is None and version.approved_as == ""


def test_publish_imported_records_the_approval_outside_hjulet(cast, today):
    version = first(make(cast, actor=cast.quality, owner=cast.manager_a))
    with pytest.raises(PermissionDenied):
        publish_imported(
            version,
            actor=cast.same_unit,
            approved_as="Enhetschef",
            approved_on=today,
            effective_from=today,
        )
    publish_imported(
        version,
        actor=cast.quality,
        approved_as="Enhetschef Anna Ek",
        approved_on=datetime.date(2024, 3, 1),
        effective_from=datetime.date(2024, 4, 1),
    )
    version = reload(version)
    assert version.state == VersionState.PUBLISHED
    assert version.approved_as == "Enhetschef Anna Ek" and version.approved_by is None
    assert version.routine.next_review_on == datetime.date(2025, 4, 1)
    assert list(version.transitions.values_list("to_state", flat=True)) == ["approved", "published"]


def test_double_create_with_one_form_token_makes_one_routine(cast):
    import uuid

    token = uuid.uuid4()
    a = make(cast, form_token=token)
    b = make(cast, form_token=token)
    assert a.pk == b.pk and a.just_created and not b.just_created
    with pytest.raises(ValidationError):
        make(cast, form_token=token, actor=cast.quality)
