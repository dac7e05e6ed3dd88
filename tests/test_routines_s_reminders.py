"""Routine reminders (review dates, acknowledgments) and periodic reviews."""

import datetime
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from routines import acknowledgments, reminders, review
from routines.models import Acknowledgment, Routine, RoutineReminder, RoutineReview
from tests.routines_s_helpers import routine_in_force

Kind = RoutineReminder.Kind


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def _run(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.send_routine_reminders(now=now)

    return _run


def to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def review_on(routine, day):
    Routine.objects.filter(pk=routine.pk).update(next_review_on=day)
    routine.refresh_from_db()


# -- review dates ------------------------------------------------------------------------------


def test_review_reminders_before_at_and_escalated_each_once(cast, run, today):
    routine = routine_in_force(cast, title="Nyckelhantering", requires_acknowledgment=False)
    day = today + datetime.timedelta(days=60)
    review_on(routine, day)
    assert run(at(today)) == 0
    before = day - datetime.timedelta(days=10)
    assert run(at(before)) == 1
    assert run(at(before)) == 0  # a retry sends nothing twice
    assert len(to(cast.manager_a)) == 1
    assert "Revisionsdatum närmar sig" in to(cast.manager_a)[0].subject
    assert run(at(day)) == 1
    late = day + datetime.timedelta(days=reminders.grace_days())
    assert run(at(late)) == 1
    assert run(at(late)) == 0
    # The owner heard before and at the date; the department manager above heard once.
    assert len(to(cast.manager_a)) == 2
    assert len(to(cast.parent_manager)) == 1
    assert "Revision försenad" in to(cast.parent_manager)[0].subject
    assert to(cast.same_unit) == [] and to(cast.sibling) == []
    kinds = set(RoutineReminder.objects.values_list("kind", "recipient__username"))
    assert kinds == {
        (Kind.REVIEW_BEFORE, "manager_a"),
        (Kind.REVIEW_DUE, "manager_a"),
        (Kind.REVIEW_ESCALATION, "parent"),
    }


def test_a_new_review_date_gives_new_reminders(cast, run, settings, today):
    settings.HJULET_ROUTINE_REVIEW_NOTICE_DAYS = 5
    routine = routine_in_force(cast, title="Nyckelhantering", requires_acknowledgment=False)
    review_on(routine, today + datetime.timedelta(days=3))
    assert run(at(today)) == 1
    review.record_review(routine, actor=cast.manager_a, outcome="no_change")
    routine.refresh_from_db()
    assert run(at(routine.next_review_on - datetime.timedelta(days=2))) == 1
    assert len(to(cast.manager_a)) == 2


# -- acknowledgments ---------------------------------------------------------------------------


def test_acknowledgment_reminders_go_once_to_those_who_have_not(cast, run, now):
    routine_in_force(cast, title="Nyckelhantering")
    routine_in_force(cast, title="Brandrutin")
    acknowledgments.acknowledge(
        Acknowledgment.objects.filter(user=cast.manager_a).first(), cast.manager_a
    )
    later = now + datetime.timedelta(days=reminders.acknowledge_days(), hours=1)
    assert run(now) == 0
    assert run(later) == 3  # two routines for same_unit, one for manager_a
    assert run(later) == 0
    assert len(to(cast.same_unit)) == 1  # one e-mail naming both routines
    body = to(cast.same_unit)[0].body
    assert "Nyckelhantering" in body and "Brandrutin" in body
    assert len(to(cast.manager_a)) == 1 and to(cast.sibling) == []


def test_the_managers_reminder_goes_once_a_day(
    cast, login, django_capture_on_commit_callbacks, today
):
    routine_in_force(cast, title="Nyckelhantering")
    url = reverse("routines:acknowledgments_remind", args=[cast.unit_a.pk])
    client = login(cast.manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)
    assert len(to(cast.same_unit)) == 1
    assert "chef påminner" in to(cast.same_unit)[0].body
    assert RoutineReminder.objects.filter(kind=Kind.ACKNOWLEDGE, about=today).count() == 2
    assert login(cast.same_unit).post(url).status_code == 403


# -- reviews -----------------------------------------------------------------------------------


def test_a_review_without_change_moves_the_date(cast, today):
    routine = routine_in_force(cast, title="Nyckelhantering", review_interval_months=12)
    review_on(routine, today - datetime.timedelta(days=3))
    done = review.record_review(routine, actor=cast.manager_a, outcome="no_change", note="Ok")
    routine.refresh_from_db()
    assert routine.next_review_on == review.add_months(today, 12)
    assert done.next_review_on == routine.next_review_on
    assert done.version == routine.current_version
    with pytest.raises(PermissionDenied):
        review.record_review(routine, actor=cast.same_unit, outcome="no_change")
    with pytest.raises(PermissionDenied):
        review.record_review(routine, actor=cast.sibling, outcome="no_change")


def test_a_review_asking_for_revision_starts_a_draft(cast):
    routine = routine_in_force(cast, title="Nyckelhantering")
    with pytest.raises(ValidationError):
        review.record_review(routine, actor=cast.manager_a, outcome="revise", note="")
    done = review.record_review(
        routine, actor=cast.manager_a, outcome="revise", note="Nya nyckelskåp"
    )
    assert done.new_version.state == "draft" and done.new_version.number == 2


def test_add_months_keeps_the_end_of_month():
    assert review.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert review.add_months(datetime.date(2026, 11, 15), 14) == datetime.date(2028, 1, 15)


def test_the_review_form_keeps_input_and_is_safe_to_send_twice(cast, login, today):
    routine = routine_in_force(cast, title="Nyckelhantering")
    client = login(cast.manager_a)
    url = reverse("routines:review", args=[routine.pk])
    assert client.get(url).status_code == 200
    token = str(uuid.uuid4())
    bad = client.post(
        url,
        {
            "outcome": "no_change",
            "reviewed_on": "2999-01-01",
            "note": "Gick igenom",
            "form_token": token,
        },
    )
    assert bad.status_code == 200
    page = bad.content.decode()
    assert "Gick igenom" in page and "framtiden" in page
    data = {
        "outcome": "no_change",
        "reviewed_on": today.isoformat(),
        "note": "Gick igenom",
        "form_token": token,
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert RoutineReview.objects.filter(routine=routine).count() == 1
    # Others: the sibling unit's staff get 404, the unit's staff 403.
    assert login(cast.sibling).get(url).status_code == 404
    assert login(cast.same_unit).get(url).status_code == 403


def test_the_review_list_shows_overdue_and_upcoming(cast, login, today):
    late = routine_in_force(cast, title="Försenad rutin")
    soon = routine_in_force(cast, title="Snart dags")
    other = routine_in_force(cast, unit=cast.dept, title="Avdelningens rutin")
    review_on(late, today - datetime.timedelta(days=4))
    review_on(soon, today + datetime.timedelta(days=20))
    review_on(other, today - datetime.timedelta(days=1))
    overdue, upcoming = review.reviews_for(cast.manager_a)
    assert overdue == [late] and upcoming == [soon] and overdue[0].days_late == 4
    # The department manager follows the whole department.
    overdue, _upcoming = review.reviews_for(cast.parent_manager)
    assert set(overdue) == {late, other}
    page = login(cast.manager_a).get(reverse("routines:reviews")).content.decode()
    assert "Försenad rutin" in page and "Snart dags" in page and "Avdelningens rutin" not in page
    assert login(cast.same_unit).get(reverse("routines:reviews")).status_code == 200


def test_an_assignment_that_became_valid_gets_its_tasks_from_the_reminder_run(cast, run, today):
    from accounts.models import Role, RoleAssignment
    from tests.cast import _user

    routine = routine_in_force(cast, title="Nyckelhantering")
    later = _user("later", "Lea", "Senare")
    assignment = RoleAssignment.objects.create(
        user=later,
        role=Role.objects.get(code="staff_member"),
        node=cast.unit_a,
        valid_from=today + datetime.timedelta(days=2),
    )
    assert not Acknowledgment.objects.filter(user=later).exists()
    # Two days on, without saving the assignment again.
    RoleAssignment.objects.filter(pk=assignment.pk).update(
        valid_from=today - datetime.timedelta(days=1)
    )
    run(at(today))
    assert Acknowledgment.objects.filter(user=later, version=routine.current_version).exists()
