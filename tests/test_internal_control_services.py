"""Internal control plans: drafting from the yearly risk analysis, the board's decision, results
with actions, reports, the report figures."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actions.models import Action
from audit.models import Event as AuditEvent
from audit.verbs import render
from internal_control import report_figures
from internal_control.models import (
    ControlPoint,
    Frequency,
    InternalControlPlan,
    Outcome,
    PlanTransition,
    Status,
)
from internal_control.services.plans import (
    add_control_point,
    analysis_events,
    draft_from_analysis,
    remove_control_point,
    reopen_plan,
)
from internal_control.services.results import (
    approve_report,
    create_report,
    record_result,
)
from risks.models import RiskEvent
from tests.internal_control_helpers import (
    add_point,
    approve,
    make_plan,
    method,
    yearly_analysis,
)


def _choices(events, cast):
    return [
        {
            "event": e,
            "what": "",
            "method": method(),
            "frequency": Frequency.TERTIAL,
            "responsible": cast.manager_a,
        }
        for e in events
    ]


def test_events_are_listed_highest_first_with_the_high_ones_marked(cast):
    analysis = yearly_analysis(cast)
    events = analysis_events(analysis)
    assert [e.value for e in events] == [12, 8, 4, 1]
    assert [e.is_high for e in events] == [True, True, False, False]


def test_drafting_copies_the_risk_value_and_level_as_they_were(cast):
    analysis = yearly_analysis(cast)
    plan = make_plan(cast)
    high = [e for e in analysis_events(analysis) if e.is_high]
    made = draft_from_analysis(
        plan, actor=cast.quality, analysis=analysis, choices=_choices(high, cast)
    )
    assert len(made) == 2
    first = ControlPoint.objects.get(pk=made[0].pk)
    assert (first.risk_value, first.risk_level, first.risk_level_label) == (12, "high", "Hög risk")
    assert first.what == first.risk_description == "Delegeringar går ut utan att förnyas"
    assert first.reporting_dates.count() == 3  # the tertials the frequency suggests
    plan.refresh_from_db()
    assert plan.risk_analysis == analysis
    # The analysis changes later: the plan stays as decided.
    RiskEvent.objects.filter(pk=first.risk_event_id).update(
        value=1, level="low", description="Ändrad"
    )
    first.refresh_from_db()
    assert (first.risk_value, first.risk_level, first.risk_description) == (
        12,
        "high",
        "Delegeringar går ut utan att förnyas",
    )
    # Drafting again does not add the same risk twice.
    again = draft_from_analysis(
        plan, actor=cast.quality, analysis=analysis, choices=_choices(high, cast)
    )
    assert again == [] and plan.control_points.count() == 2
    drafted = AuditEvent.objects.filter(verb="internal_control.drafted_from_analysis")
    assert [e.params["count"] for e in drafted] == ["2"]  # nothing new the second time
    assert render(drafted.get()).startswith("2 kontrollmoment")


def test_another_boards_analysis_cannot_be_drafted_from(cast):
    other = yearly_analysis(cast, unit=cast.other_root_node)
    plan = make_plan(cast)
    with pytest.raises(ValidationError):
        draft_from_analysis(
            plan,
            actor=cast.quality,
            analysis=other,
            choices=_choices(list(other.events.all()), cast),
        )


def test_a_control_point_without_a_risk_event(cast):
    plan = make_plan(cast)
    point = add_point(plan, cast)
    assert point.risk_event is None and point.risk_value is None


def test_approval_records_the_decision_and_refuses_changes_afterwards(cast):
    plan = make_plan(cast)
    point = add_point(plan, cast)
    with pytest.raises(ValidationError) as error:
        approve(make_plan(cast, year=2020))  # no control points
    assert "control point" in str(error.value).lower() or error.value.code == "empty"
    with pytest.raises(ValidationError) as error:
        from internal_control.services.plans import approve_plan

        approve_plan(
            plan, actor=cast.quality, decision_paragraph="", diary_number="", decided_on=None
        )
    assert set(error.value.error_dict) == {"decision_paragraph", "diary_number", "decided_on"}
    approve(plan, actor=cast.quality)
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED
    assert (plan.decision_paragraph, plan.diary_number) == ("45", "SN 2026/123")
    assert plan.decided_on == date(plan.year, 1, 20)
    transition = PlanTransition.objects.get(plan=plan)
    assert (transition.from_status, transition.to_status) == ("draft", "approved")
    assert "SN 2026/123" in transition.decision
    assert AuditEvent.objects.filter(verb="internal_control.plan_approved").exists()
    with pytest.raises(ValidationError):
        add_point(plan, cast, what="Ny")
    with pytest.raises(ValidationError):
        remove_control_point(point, actor=cast.quality)
    with pytest.raises(ValidationError) as error:
        approve(plan, actor=cast.quality)  # approved → approved is not in the table
    assert error.value.code == "transition"
    with pytest.raises(ValidationError):
        reopen_plan(plan, actor=cast.quality, reason="")
    reopen_plan(plan, actor=cast.quality, reason="Nämnden ska besluta om en ändrad plan")
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT
    add_point(plan, cast, what="Ny")


def test_only_the_boards_administration_manages_the_plan(cast):
    with pytest.raises(PermissionDenied):
        make_plan(cast, actor="manager_a")
    with pytest.raises(PermissionDenied):
        make_plan(cast, board=cast.other_root_node)
    plan = make_plan(cast)
    with pytest.raises(ValidationError):
        make_plan(cast)  # one plan per board and year
    with pytest.raises(PermissionDenied):
        add_control_point(
            plan,
            actor=cast.parent_manager,
            what="X",
            method=method(),
            frequency=Frequency.ONCE,
            responsible=cast.manager_a,
            reporting_dates=[date(plan.year, 5, 1)],
        )


def test_the_responsible_must_report_in_the_board(cast):
    plan = make_plan(cast)
    with pytest.raises(ValidationError) as error:
        add_point(plan, cast, responsible=cast.same_unit)  # staff: no internal_control.report
    assert "responsible" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        add_point(plan, cast, dates=[date(2001, 1, 1)])
    assert "reporting_dates" in error.value.error_dict


def test_results_with_remark_make_an_action(cast):
    plan = make_plan(cast)
    point = add_point(plan, cast)
    row = point.reporting_dates.first()
    with pytest.raises(ValidationError):
        record_result(row, actor=cast.manager_a, outcome=Outcome.WITHOUT_REMARK)  # not approved
    approve(plan)
    with pytest.raises(PermissionDenied):
        record_result(row, actor=cast.parent_manager, outcome=Outcome.WITHOUT_REMARK)
    with pytest.raises(ValidationError) as error:
        record_result(row, actor=cast.manager_a, outcome=Outcome.WITH_REMARK, comment="Brister")
    assert "action_title" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        record_result(row, actor=cast.manager_a, outcome=Outcome.NOT_DONE)
    assert "comment" in error.value.error_dict
    due = timezone.localdate() + timedelta(days=20)
    result = record_result(
        row,
        actor=cast.manager_a,
        outcome=Outcome.WITH_REMARK,
        comment="Tre akter saknade uppföljning",
        action={
            "unit": cast.unit_a,
            "title": "Följ upp akterna",
            "owner": cast.manager_a,
            "due_date": due,
        },
    )
    action = Action.objects.get(source_id=result.pk, source_type__model="controlresult")
    assert (action.title, action.unit, action.owner, action.due_date) == (
        "Följ upp akterna",
        cast.unit_a,
        cast.manager_a,
        due,
    )
    with pytest.raises(ValidationError):
        record_result(row, actor=cast.manager_a, outcome=Outcome.WITHOUT_REMARK)
    # The quality developer of the administration may record too.
    other = point.reporting_dates.last()
    record_result(other, actor=cast.quality, outcome=Outcome.NOT_DONE, comment="Sjukfrånvaro")
    assert report_figures.figures(cast.board, plan.year) == {
        "control_points_planned": 1,
        "results_by_outcome": {"without_remark": 0, "with_remark": 1, "not_done": 1},
        "actions_made": 1,
    }
    assert report_figures.figures(cast.board, plan.year - 1)["control_points_planned"] == 0


def test_the_report_is_approved_with_its_decision(cast):
    plan = make_plan(cast)
    add_point(plan, cast)
    with pytest.raises(ValidationError):
        create_report(plan, actor=cast.quality, period="year")  # plan not approved
    approve(plan)
    report = create_report(plan, actor=cast.quality, period="tertial_1", summary="Bra")
    with pytest.raises(ValidationError):
        create_report(plan, actor=cast.quality, period="tertial_1")
    with pytest.raises(PermissionDenied):
        approve_report(
            report,
            actor=cast.manager_a,
            decision_paragraph="1",
            diary_number="SN 1",
            decided_on=date(plan.year, 6, 1),
        )
    approve_report(
        report,
        actor=cast.quality,
        decision_paragraph="60",
        diary_number="SN 2026/9",
        decided_on=date(plan.year, 6, 1),
    )
    report.refresh_from_db()
    assert report.status == Status.APPROVED and report.transitions.count() == 1
    assert report.ends_on == date(plan.year, 4, 30)


def test_the_same_form_twice_makes_one_plan(cast):
    import uuid

    from internal_control.services.plans import create_plan

    token = uuid.uuid4()
    a = create_plan(actor=cast.quality, board=cast.board, year=2030, form_token=token)
    b = create_plan(actor=cast.quality, board=cast.board, year=2030, form_token=token)
    assert a.pk == b.pk and InternalControlPlan.objects.count() == 1
