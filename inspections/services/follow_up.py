"""The loop: an action's effect check handed to self-inspection, recorded from the answer.

`hand_over(action, question, actor=)` says "follow up the effect in checklist X, question Y"
for the action's unit. When an execution in that unit (or below it) is completed and answers
that question, or a local adaptation of it, with ja, delvis or nej, the action's effect check
is recorded from the execution (actions.services.record_effect_check, by the system; an action
not yet done is first completed with the execution as its evidence): ja → the intended effect,
delvis → partly, nej → not.
With delvis or nej the action page offers a follow-up action, as for any effect check that did
not reach the intended effect. "Ej aktuellt" leaves the follow-up waiting for the next one.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import EffectOutcome, Status
from actions.services import complete_with_evidence, may_manage, record_effect_check
from audit.services import record_event
from inspections.models import EffectFollowUp, Question
from inspections.models.execution import Reply
from inspections.services.common import person, usable_at

OUTCOME = {
    Reply.YES: EffectOutcome.YES,
    Reply.PARTLY: EffectOutcome.PARTLY,
    Reply.NO: EffectOutcome.NO,
}


def questions_for(unit):
    """The questions asked by checklists usable at the unit."""
    paths = [unit.path[: i + 1] for i, ch in enumerate(unit.path) if ch == "/"]
    return (
        Question.objects.filter(
            is_active=True, template__is_active=True, template__unit__path__in=paths
        )
        .select_related("template")
        .order_by("template__title", "order", "pk")
    )


@transaction.atomic
def hand_over(action, *, actor, question):
    """The action's effect is to be checked by the next execution answering `question`."""
    if actor is not None and not may_manage(actor, action):
        raise PermissionDenied
    if action.status in (Status.EFFECT_CHECKED, Status.CANCELLED):
        raise ValidationError(_("The action is closed."), code="closed")
    if not usable_at(question.template, action.unit) or not question.is_active:
        raise ValidationError(
            {"question": _("Choose a question of a checklist in use at the action's unit.")},
            code="question",
        )
    follow_up, created = EffectFollowUp.objects.select_for_update(of=("self",)).get_or_create(
        action=action,
        defaults={"unit": action.unit, "question": question, "created_by": person(actor)},
    )
    if not created:
        if follow_up.execution_id:
            raise ValidationError(_("The effect is already recorded."), code="done")
        follow_up.question = question
        follow_up.save(update_fields=["question"])
    record_event(
        action,
        "inspections.effect_handed_over",
        actor,
        checklist=question.template.title,
        question=question.text,
    )
    return follow_up


def _root(question):
    return question.origin_id or question.pk


def apply_follow_ups(execution, answers):
    """Record the effect checks waiting for this execution's answers (inside its transaction)."""
    by_root = {_root(a.question): a for a in answers if a.reply in OUTCOME}
    if not by_root:
        return 0
    paths = [execution.unit.path[: i + 1] for i, ch in enumerate(execution.unit.path) if ch == "/"]
    waiting = (
        EffectFollowUp.objects.select_for_update(of=("self",))
        .filter(execution__isnull=True, unit__path__in=paths)
        .select_related("action", "question")
    )
    recorded = 0
    for follow_up in waiting:
        answer = by_root.get(_root(follow_up.question))
        if answer is None:
            continue
        action = follow_up.action
        if action.status in (Status.PLANNED, Status.IN_PROGRESS):
            # Nothing has shown the action done: this execution does. A done action keeps
            # what showed it (the revised routine's version, say); the effect check names the
            # execution and the follow-up links it.
            complete_with_evidence(action, execution, actor=None)
        if action.status == Status.DONE:
            record_effect_check(
                action,
                actor=None,
                checked_on=timezone.localdate(),
                result=_("Self-inspection %(execution)s: “%(question)s” answered “%(reply)s”.")
                % {
                    "execution": execution,
                    "question": answer.question.text,
                    "reply": Reply(answer.reply).label,
                }
                + (f" {answer.comment}" if answer.comment else ""),
                outcome=OUTCOME[answer.reply],
            )
        follow_up.execution = execution
        follow_up.reply = answer.reply
        follow_up.recorded_at = timezone.now()
        follow_up.save(update_fields=["execution", "reply", "recorded_at"])
        record_event(
            execution,
            "inspections.effect_recorded",
            None,
            action=action.title,
            reply=Reply(answer.reply).label,
        )
        recorded += 1
    return recorded
