"""A "nej" becomes a finding and the finding an action; a finding closed with a reason; the
effect check of an action handed to a checklist question is recorded from the next execution."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions.models import Action, EffectOutcome, Status
from actions.services import change_status, create_action
from inspections.models import EffectFollowUp, Finding, FindingTransition, TemplateChange
from inspections.models.execution import FindingState
from inspections.services.checklist import adapt_template, change_question
from inspections.services.finding import close_finding, make_action
from inspections.services.follow_up import hand_over
from tests.inspections_helpers import execute, plan_item, template

pytestmark = pytest.mark.django_db


def _due():
    return timezone.localdate() + datetime.timedelta(days=30)


def test_a_no_becomes_a_finding_and_the_finding_an_action(cast):
    execution = execute(cast, ["yes", "no", "na"])
    finding = Finding.objects.get(execution=execution)
    assert finding.state == FindingState.OPEN
    assert "Är planen uppföljd?" in finding.description
    action = make_action(
        finding,
        actor=cast.manager_a,
        title="Följ upp planerna",
        owner=cast.manager_a,
        due_date=_due(),
    )
    finding.refresh_from_db()
    assert finding.state == FindingState.ACTION and finding.action == action
    assert action.source == finding and action.unit == cast.unit_a
    assert FindingTransition.objects.filter(finding=finding, to_state="action").count() == 1
    with pytest.raises(ValidationError):
        close_finding(finding, actor=cast.manager_a, reason="Sent")


def test_the_same_action_form_sent_twice_makes_one_action(cast):
    import uuid

    finding = Finding.objects.get(execution=execute(cast, ["no", "yes", "yes"]))
    token = uuid.uuid4()
    kwargs = {
        "actor": cast.manager_a,
        "title": "Åtgärd",
        "owner": cast.manager_a,
        "due_date": _due(),
    }
    first = make_action(finding, form_token=token, **kwargs)
    second = make_action(Finding.objects.get(pk=finding.pk), form_token=token, **kwargs)
    assert first.pk == second.pk
    assert Action.objects.count() == 1


def test_a_finding_is_closed_only_with_a_reason(cast):
    finding = Finding.objects.get(execution=execute(cast, ["no", "yes", "yes"]))
    with pytest.raises(ValidationError):
        close_finding(finding, actor=cast.manager_a, reason=" ")
    close_finding(finding, actor=cast.manager_a, reason="Redan åtgärdat på plats.")
    finding.refresh_from_db()
    assert finding.state == FindingState.CLOSED
    assert finding.closed_reason == "Redan åtgärdat på plats."


def _action(cast, title="Inför uppföljning"):
    return create_action(
        actor=cast.manager_a, unit=cast.unit_a, title=title, owner=cast.manager_a, due_date=_due()
    )


@pytest.mark.parametrize(
    "reply, outcome",
    [("yes", EffectOutcome.YES), ("partly", EffectOutcome.PARTLY), ("no", EffectOutcome.NO)],
)
def test_the_next_execution_records_the_handed_over_effect(cast, reply, outcome):
    checklist = template(cast)
    question = checklist.questions.order_by("order")[1]
    action = _action(cast)
    change_status(action, Status.IN_PROGRESS, actor=cast.manager_a)
    hand_over(action, actor=cast.manager_a, question=question)
    item = plan_item(cast, checklist)
    execution = execute(cast, ["yes", reply, "yes"], item=item)
    action.refresh_from_db()
    assert action.status == Status.EFFECT_CHECKED
    assert action.effect_ok == outcome
    assert action.evidence == execution
    follow_up = EffectFollowUp.objects.get(action=action)
    assert follow_up.execution == execution and follow_up.reply == reply


def test_not_applicable_waits_for_the_next_answer_and_an_adapted_copy_counts(cast):
    checklist = template(cast)
    question = checklist.questions.order_by("order").first()
    action = _action(cast)
    hand_over(action, actor=cast.manager_a, question=question)
    copy = adapt_template(checklist, actor=cast.manager_a, unit=cast.unit_a, reason="Vår enhet")
    item = plan_item(cast, copy)
    execute(cast, ["na", "yes", "yes"], item=item)
    action.refresh_from_db()
    assert action.status == Status.PLANNED  # still waiting
    second = item.occasions.first()
    from inspections.models import Occasion

    Occasion.objects.filter(pk=second.pk).update(done_on=None)
    execute(cast, ["no", "yes", "yes"], item=item)
    action.refresh_from_db()
    assert action.status == Status.EFFECT_CHECKED and action.effect_ok == EffectOutcome.NO


def test_another_units_execution_does_not_record_the_effect(cast):
    checklist = template(cast)
    action = _action(cast)
    hand_over(action, actor=cast.manager_a, question=checklist.questions.first())
    execute(
        cast,
        ["yes", "yes", "yes"],
        item=plan_item(cast, checklist, unit=cast.unit_b, responsible=cast.parent_manager),
    )
    action.refresh_from_db()
    assert action.status == Status.PLANNED


def test_an_adaptation_records_what_changed_from_its_parent(cast):
    checklist = template(cast)
    copy = adapt_template(checklist, actor=cast.manager_a, unit=cast.unit_a, reason="Lokalt")
    question = copy.questions.order_by("order").first()
    assert question.origin_id == checklist.questions.order_by("order").first().pk
    change_question(question, actor=cast.manager_a, text="Finns aktuell plan?", reason="Tydligare")
    kinds = list(
        TemplateChange.objects.filter(template=copy).values_list("kind", "before", "after")
    )
    assert kinds == [
        ("adapted", "", checklist.title),
        ("changed", "Finns genomförandeplan?", "Finns aktuell plan?"),
    ]
    # The parent is untouched; a unit manager cannot change the department's checklist.
    assert checklist.questions.order_by("order").first().text == "Finns genomförandeplan?"
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        change_question(checklist.questions.first(), actor=cast.manager_a, text="X")


def test_a_no_proposes_a_follow_up_action_and_the_chain_reads_from_both_ends(cast, login):
    checklist = template(cast)
    question = checklist.questions.order_by("order").first()
    action = _action(cast, "Rutin för genomförandeplaner ses över")
    hand_over(action, actor=cast.manager_a, question=question)
    execution = execute(cast, ["no", "yes", "yes"], item=plan_item(cast, checklist))
    client = login(cast.manager_a)
    html = client.get(action.get_absolute_url()).content.decode()
    assert 'id="action-follow-up"' in html  # a new action is proposed
    assert execution.get_absolute_url() in html  # the execution is the evidence
    assert 'id="effect-elsewhere"' in html
    # From the execution's end: its "nej" is a finding, and the action's effect is on record.
    assert Finding.objects.filter(execution=execution, question=question).exists()


def test_the_execution_names_the_deviations_action_whose_effect_it_checked(cast, login):
    from tests.analysis_helpers import new_report

    deviation = new_report(cast, cast.unit_a, 3)
    action = create_action(
        actor=cast.manager_a,
        unit=cast.unit_a,
        title="Signeringslistor byts ut",
        owner=cast.manager_a,
        due_date=_due(),
        source=deviation,
    )
    checklist = template(cast)
    question = checklist.questions.order_by("order").first()
    hand_over(action, actor=cast.manager_a, question=question)
    execution = execute(cast, ["yes", "yes", "yes"], item=plan_item(cast, checklist))
    html = login(cast.manager_a).get(execution.get_absolute_url()).content.decode()
    section = html[html.index('id="effects-confirmed"') :]
    assert f'href="{action.get_absolute_url()}">Signeringslistor byts ut</a>' in section
    assert question.text in section and action.source_label in section
    # The sibling unit opens neither the execution nor the action.
    assert login(cast.sibling).get(execution.get_absolute_url()).status_code in (403, 404)
