"""Shared pieces of the self-inspection tests: a checklist at the department, a plan of unit A
with one item, and an execution answered as given."""

import datetime

from django.utils import timezone

from inspections.models import Method
from inspections.services.checklist import create_template
from inspections.services.execution import complete_execution, save_answers, start_execution
from inspections.services.plan import add_item, create_plan
from tests.cast import _assign, _user

QUESTIONS = ["Finns genomförandeplan?", "Är planen uppföljd?", "Har brukaren deltagit?"]


def method(code="record_review"):
    return Method.objects.get(code=code)


def template(cast, node=None, questions=QUESTIONS, title="Granskning av genomförandeplaner"):
    return create_template(
        actor=None,
        unit=node or cast.dept,
        title=title,
        method=method("observation"),
        questions=questions,
    )


def plan_item(cast, checklist=None, unit=None, responsible=None, first_due=None):
    unit = unit or cast.unit_a
    plan = create_plan(actor=None, unit=unit, year=timezone.localdate().year)
    return add_item(
        plan,
        actor=None,
        template=checklist or template(cast),
        responsible=responsible or cast.manager_a,
        first_due=first_due or timezone.localdate() + datetime.timedelta(days=10),
    )


def execute(cast, replies, item=None, actor=None, performed_on=None, occasion=None):
    """Start, answer (replies in question order) and complete an execution of the item."""
    item = item or plan_item(cast)
    occasion = occasion or item.occasions.order_by("due_date").first()
    execution = start_execution(
        actor=actor, occasion=occasion, performed_on=performed_on or timezone.localdate()
    )
    answers = list(execution.answers.order_by("question__order", "pk"))
    save_answers(
        execution,
        actor=actor,
        replies={a.question_id: (reply, "") for a, reply in zip(answers, replies, strict=True)},
    )
    return complete_execution(execution, actor=actor)


def board_member(cast):
    nils = _user("board_member", "Nils", "Nämnd")
    _assign(nils, "board_member", cast.board, subtree=True)
    return nils


def manager_b(cast):
    bea = _user("manager_b", "Bea", "Chef")
    _assign(bea, "unit_manager", cast.unit_b, subtree=True)
    return bea
