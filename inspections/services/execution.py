"""Carrying out a checklist: start, answer, complete.

Completing keeps the execution's counts of ja / delvis / nej / ej aktuellt, opens a finding
for every "nej" (inspections/compliance.py reads the counts), marks the plan's occasion done
and records the effect checks handed to its questions (services/follow_up.py).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from core.once import earlier_send, save_once
from inspections.models import Answer, Execution, ExecutionTransition, Finding, Occasion
from inspections.models.execution import EXECUTION_TRANSITIONS, ExecutionState, Reply
from inspections.services.common import check_usable, person, require_execute


@transaction.atomic
def start_execution(
    *, actor, occasion=None, unit=None, template=None, performed_on=None, form_token=None
):
    """A draft execution of the occasion's checklist (or of `template` at `unit`), with one
    empty answer per question asked. An occasion has one draft at a time: the one begun is
    returned."""
    existing = earlier_send(Execution, form_token)
    if existing is not None:
        return existing
    if occasion is not None:
        occasion = Occasion.objects.select_related("item__plan__unit", "item__template").get(
            pk=occasion.pk
        )
        unit = occasion.item.plan.unit
        template = occasion.item.template
        begun = Execution.objects.filter(occasion=occasion, state=ExecutionState.DRAFT).first()
        if begun is not None:  # one at a time: the one begun is carried on
            require_execute(actor, unit)
            begun.just_created = False
            return begun
    require_execute(actor, unit)
    if occasion is None:
        # A planned occasion keeps its checklist even if it was taken out of use since.
        check_usable(template, unit)
    performed_on = performed_on or timezone.localdate()
    if performed_on > timezone.localdate():
        raise ValidationError(
            {"performed_on": _("The date cannot be in the future.")}, code="future"
        )
    execution = Execution(
        unit=unit,
        template=template,
        occasion=occasion,
        performed_on=performed_on,
        performed_by=person(actor),
        form_token=form_token,
    )
    execution = save_once(execution, form_token)
    if not execution.just_created:
        return execution
    Answer.objects.bulk_create(
        [
            Answer(execution=execution, question=q)
            for q in template.questions.filter(is_active=True).order_by("order", "pk")
        ]
    )
    record_event(execution, "inspections.execution_started", actor, checklist=template.title)
    return execution


def _locked(execution):
    return (
        Execution.objects.select_for_update(of=("self",))
        .select_related("unit", "template")
        .get(pk=execution.pk)
    )


@transaction.atomic
def save_answers(execution, *, actor, replies, summary=None):
    """Store answers: `replies` is {question pk: (reply, comment)}. Only while a draft."""
    locked = _locked(execution)
    require_execute(actor, locked)
    if not locked.is_draft:
        raise ValidationError(_("The self-inspection is completed."), code="state")
    answers = {a.question_id: a for a in locked.answers.select_for_update(of=("self",))}
    changed = []
    for question_id, (reply, comment) in replies.items():
        answer = answers.get(int(question_id))
        if answer is None:
            continue
        if reply and reply not in Reply.values:
            raise ValidationError(_("Unknown answer."), code="reply")
        comment = (comment or "").strip()
        if (answer.reply, answer.comment) != (reply or "", comment):
            answer.reply, answer.comment = reply or "", comment
            changed.append(answer)
    Answer.objects.bulk_update(changed, ["reply", "comment"])
    if summary is not None and summary.strip() != locked.summary:
        locked.summary = summary.strip()
        locked.save(update_fields=["summary"])
    if changed:
        record_event(locked, "inspections.answers_saved", actor, count=len(changed))
    return len(changed)


def counts_of(answers):
    counts = dict.fromkeys(Reply.values, 0)
    for answer in answers:
        if answer.reply:
            counts[answer.reply] += 1
    return counts


@transaction.atomic
def complete_execution(execution, *, actor):
    """draft → completed: every question answered; counts kept; a finding for each "nej"."""
    from inspections.services.follow_up import apply_follow_ups

    locked = _locked(execution)
    require_execute(actor, locked)
    if (locked.state, ExecutionState.COMPLETED) not in EXECUTION_TRANSITIONS:
        raise ValidationError(_("The self-inspection is already completed."), code="transition")
    answers = list(locked.answers.select_related("question").order_by("question__order", "pk"))
    missing = [a for a in answers if not a.reply]
    if missing:
        raise ValidationError(
            _("Answer every question before completing (%(count)s left).")
            % {"count": len(missing)},
            code="unanswered",
        )
    counts = counts_of(answers)
    locked.n_yes = counts[Reply.YES]
    locked.n_partly = counts[Reply.PARTLY]
    locked.n_no = counts[Reply.NO]
    locked.n_na = counts[Reply.NOT_APPLICABLE]
    locked.state = ExecutionState.COMPLETED
    locked.completed_at = timezone.now()
    locked.save(update_fields=["n_yes", "n_partly", "n_no", "n_na", "state", "completed_at"])
    ExecutionTransition.objects.create(
        execution=locked,
        from_state=ExecutionState.DRAFT,
        to_state=ExecutionState.COMPLETED,
        actor=person(actor),
    )
    Finding.objects.bulk_create(
        [
            Finding(
                execution=locked,
                question=a.question,
                description=a.question.text + (f"\n{a.comment}" if a.comment else ""),
            )
            for a in answers
            if a.reply == Reply.NO
        ]
    )
    if locked.occasion_id:
        Occasion.objects.filter(pk=locked.occasion_id, done_on__isnull=True).update(
            done_on=locked.performed_on
        )
    record_event(
        locked,
        "inspections.execution_completed",
        actor,
        yes=locked.n_yes,
        partly=locked.n_partly,
        no=locked.n_no,
        na=locked.n_na,
    )
    apply_follow_ups(locked, answers)
    for field in ("n_yes", "n_partly", "n_no", "n_na", "state", "completed_at"):
        setattr(execution, field, getattr(locked, field))
    return execution


@transaction.atomic
def add_finding(execution, *, actor, description, question=None):
    locked = _locked(execution)
    require_execute(actor, locked)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Describe the finding.")}, code="required")
    finding = Finding.objects.create(execution=locked, question=question, description=description)
    record_event(locked, "inspections.finding_added", actor, finding=description[:100])
    return finding
