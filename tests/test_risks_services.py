"""The risk analysis's services: life cycle, events, residual risk, measures, audit, reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actions.models import Action
from audit.models import Event
from risks.models import RiskAnalysisTransition, RiskReminder, Status
from risks.reminders import due_at, send_review_reminders
from risks.services.analysis import move, record_review, update_analysis
from risks.services.events import add_event, score_residual
from risks.services.measures import add_measure, measures_of
from tests.risks_helpers import board_member, later, make_analysis


def _event(analysis, actor, likelihood=3, consequence=3, text="Besök missas"):
    return add_event(
        analysis, actor=actor, description=text, likelihood=likelihood, consequence=consequence
    )


def test_the_life_cycle_follows_the_table_and_writes_transitions_and_events(cast):
    analysis = make_analysis(cast)
    with pytest.raises(ValidationError):  # nothing scored yet
        move(analysis, Status.ASSESSED, actor=cast.manager_a)
    with pytest.raises(ValidationError):  # not in the table
        move(analysis, Status.DECIDED, actor=cast.manager_a)
    with pytest.raises(ValidationError):
        move(analysis, Status.CLOSED, actor=cast.manager_a)
    _event(analysis, cast.manager_a)
    move(analysis, Status.ASSESSED, actor=cast.manager_a)
    with pytest.raises(ValidationError):  # a review date first
        move(analysis, Status.DECIDED, actor=cast.manager_a)
    update_analysis(analysis, actor=cast.manager_a, review_on=later())
    move(analysis, Status.DECIDED, actor=cast.manager_a)
    with pytest.raises(ValidationError):  # reopening needs a reason
        move(analysis, Status.DRAFT, actor=cast.manager_a)
    move(analysis, Status.DRAFT, actor=cast.manager_a, reason="Ny bemanning igen")
    assert analysis.status == Status.DRAFT
    rows = RiskAnalysisTransition.objects.filter(analysis=analysis)
    assert [(t.from_status, t.to_status) for t in rows] == [
        ("draft", "assessed"),
        ("assessed", "decided"),
        ("decided", "draft"),
    ]
    verbs = set(Event.objects.values_list("verb", flat=True))
    assert {"risks.created", "risks.decided", "risks.reopened", "risks.event_added"} <= verbs


def test_events_change_only_while_in_progress(cast):
    analysis = make_analysis(cast)
    _event(analysis, cast.manager_a)
    move(analysis, Status.ASSESSED, actor=cast.manager_a)
    with pytest.raises(ValidationError):
        _event(analysis, cast.manager_a, text="Ett till")


def test_the_residual_risk_is_a_second_score(cast):
    analysis = make_analysis(cast)
    event = _event(analysis, cast.manager_a, 3, 4)
    assert (event.value, event.level) == (12, "high")
    score_residual(event, actor=cast.manager_a, likelihood=1, consequence=3)
    event.refresh_from_db()
    assert (event.residual_value, event.residual_level) == (3, "low")
    assert (event.value, event.level) == (12, "high")


def test_measures_become_actions_of_the_analysis_or_its_event(cast):
    analysis = make_analysis(cast)
    event = _event(analysis, cast.manager_a)
    first = add_measure(
        analysis,
        actor=cast.manager_a,
        event=event,
        title="Reservlista kvällstid",
        owner=cast.same_unit,
        due_date=later(),
    )
    second = add_measure(
        analysis,
        actor=cast.manager_a,
        title="Utbilda i ensamarbete",
        owner=cast.manager_a,
        due_date=later(),
    )
    assert first.source == event and second.source == analysis
    assert first.unit == cast.unit_a
    assert set(measures_of(analysis)) == {first, second}
    assert Action.objects.count() == 2
    other = make_analysis(cast, title="Annan")
    with pytest.raises(ValidationError):
        add_measure(
            other,
            actor=cast.manager_a,
            event=event,
            title="X",
            owner=cast.manager_a,
            due_date=later(),
        )


def test_readers_and_outsiders_may_change_nothing(cast):
    analysis = make_analysis(cast)
    board = board_member(cast)
    for person in (board, cast.sibling, cast.same_unit):
        with pytest.raises(PermissionDenied):
            _event(analysis, person)
    # The department manager manages the subtree.
    _event(analysis, cast.parent_manager, text="Från avdelningen")


def test_the_same_form_twice_makes_one_analysis(cast):
    import uuid

    token = uuid.uuid4()
    first = make_analysis(cast, form_token=token)
    second = make_analysis(cast, form_token=token)
    assert first.pk == second.pk and first.just_created and not second.just_created


def test_review_reminders_before_and_at_the_date_are_sent_once(cast, settings):
    settings.HJULET_RISK_REVIEW_NOTICE_DAYS = 10
    analysis = make_analysis(cast, responsible=cast.manager_a)
    _event(analysis, cast.manager_a)
    move(analysis, Status.ASSESSED, actor=cast.manager_a)
    update_analysis(analysis, actor=cast.manager_a, review_on=later(5))
    move(analysis, Status.DECIDED, actor=cast.manager_a)
    now = timezone.now()
    assert send_review_reminders(now) == 1
    assert send_review_reminders(now) == 0
    assert RiskReminder.objects.get().kind == "before"
    # An hour into the review date, whatever the hour of the run: an offset from `now` would
    # pass the escalation grace when the suite runs late in the evening.
    at_date = due_at(analysis) + timedelta(hours=1)
    sent = send_review_reminders(at_date)
    assert sent == 1 and send_review_reminders(at_date) == 0
    assert RiskReminder.objects.count() == 2
    assert all(cast.manager_a.email in m.to for m in mail.outbox)
    # A review moves the date: new reminders for the new date.
    record_review(analysis, actor=cast.manager_a, next_review_on=later(8))
    assert send_review_reminders(now) == 1
