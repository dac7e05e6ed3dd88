"""Carrying out a checklist: start from an occasion, answer, draw the sample, complete; then
each finding becomes an action or is closed with a reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, require, requires
from accounts.need_to_know import source_readable
from accounts.scoping import can
from actions.services import may_view
from core.forms import add_service_errors
from inspections import compliance
from inspections.forms.execution import (
    CloseFindingForm,
    FindingActionForm,
    FindingForm,
    SampleForm,
    StartForm,
)
from inspections.models import EffectFollowUp, Execution, Finding, Occasion
from inspections.models.checklist import EXECUTE, MANAGE, VIEW
from inspections.models.execution import FindingState, Reply
from inspections.services import execution as services
from inspections.services import finding as finding_services
from inspections.services.common import may_execute
from inspections.services.sample import draw_sample


def visible_execution(request, pk):
    return get_visible_or_404(
        Execution.objects.select_related(
            "unit", "template__method", "occasion__item", "performed_by"
        ),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )


def require_execute(request, obj):
    if not (can(request.user, EXECUTE, obj) or can(request.user, MANAGE, obj)):
        require(request.user, EXECUTE, obj)


@requires(EXECUTE, MANAGE)
@require_POST
def execution_start(request, pk):
    occasion = get_visible_or_404(
        Occasion.objects.select_related("item__plan__unit"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )
    require_execute(request, occasion)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the self-inspection is carried out."))
        return redirect(occasion.item.plan)
    try:
        execution = services.start_execution(
            actor=request.user,
            occasion=occasion,
            performed_on=form.cleaned_data["performed_on"],
            form_token=form.cleaned_data["form_token"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(occasion.item.plan)
    return redirect(execution)


def _answers(execution, data=None):
    answers = list(
        execution.answers.select_related(
            "question__routine", "question__legal_section__regulation"
        ).order_by("question__order", "pk")
    )
    for answer in answers:
        if data is not None:
            answer.reply = data.get(f"reply-{answer.question_id}", "")
            answer.comment = data.get(f"comment-{answer.question_id}", "")
    return answers


def _effects_confirmed(user, execution):
    """The actions whose effect check this execution recorded (the loop's last link, seen
    from this end): each with where it came from, for those who may read that."""
    rows = EffectFollowUp.objects.filter(execution=execution).select_related("action", "question")
    confirmed = []
    for follow_up in rows:
        action = follow_up.action
        if not may_view(user, action):
            continue
        follow_up.source_shown = bool(action.source_label) and source_readable(user, action)
        confirmed.append(follow_up)
    return confirmed


def _render(
    request, execution, *, answers=None, errors=(), sample_form=None, finding_form=None, status=200
):
    user = request.user
    executing = execution.is_draft and may_execute(user, execution)
    findings = list(execution.findings.select_related("action", "question"))
    for finding in findings:
        finding.action_visible = finding.action_id and may_view(user, finding.action)
    confirmed = _effects_confirmed(user, execution)
    item = execution.occasion.item if execution.occasion_id else None
    sample = getattr(execution, "sample", None)
    return render(
        request,
        "inspections/execution.html",
        {
            "execution": execution,
            "answers": answers if answers is not None else _answers(execution),
            "replies": Reply.choices,
            "errors": errors,
            "executing": executing,
            "may_manage": can(user, MANAGE, execution),
            "counts": compliance.of_execution(execution),
            "percent": compliance.percent(compliance.of_execution(execution).compliance),
            "findings": findings,
            "open_state": FindingState.OPEN,
            "sample": sample,
            "sample_form": sample_form
            or (
                SampleForm(initial={"size": item.sample_size if item else None})
                if executing and sample is None
                else None
            ),
            "finding_form": finding_form or (FindingForm() if executing else None),
            "close_form": CloseFindingForm(),
            "confirmed": confirmed,
        },
        status=status,
    )


@requires(VIEW)
def execution_detail(request, pk):
    execution = visible_execution(request, pk)
    if request.method != "POST":
        return _render(request, execution)
    require_execute(request, execution)
    answers = _answers(execution, request.POST)
    errors = []
    invalid = [a for a in answers if a.reply and a.reply not in Reply.values]
    if invalid:
        errors.append(_("Unknown answer."))
        return _render(request, execution, answers=answers, errors=errors, status=400)
    try:
        services.save_answers(
            execution,
            actor=request.user,
            replies={a.question_id: (a.reply, a.comment) for a in answers},
            summary=request.POST.get("summary"),
        )
        execution.refresh_from_db()
        if "complete" in request.POST:
            services.complete_execution(execution, actor=request.user)
            messages.success(request, _("The self-inspection was completed."))
        else:
            messages.success(request, _("The answers were saved."))
    except ValidationError as error:
        execution.refresh_from_db()
        return _render(request, execution, answers=answers, errors=error.messages, status=400)
    return redirect(execution)


@requires(EXECUTE, MANAGE)
@require_POST
def sample_draw(request, pk):
    execution = visible_execution(request, pk)
    require_execute(request, execution)
    form = SampleForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            draw_sample(
                execution,
                actor=request.user,
                text=form.cleaned_data["text"],
                size=form.cleaned_data["size"],
                seed=form.cleaned_data["seed"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sample was drawn."))
            return redirect(execution)
    return _render(request, execution, sample_form=form, status=400)


@requires(EXECUTE, MANAGE)
@require_POST
def finding_add(request, pk):
    execution = visible_execution(request, pk)
    require_execute(request, execution)
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            services.add_finding(
                execution, actor=request.user, description=form.cleaned_data["description"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The finding was recorded."))
            return redirect(execution)
    return _render(request, execution, finding_form=form, status=400)


def visible_finding(request, pk):
    return get_visible_or_404(
        Finding.objects.select_related("execution__unit", "execution__template", "question"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )


@requires(MANAGE)
def finding_action(request, pk):
    finding = visible_finding(request, pk)
    require(request.user, MANAGE, finding)
    if finding.state != FindingState.OPEN and request.method != "POST":
        return redirect(finding)
    initial = {"title": (finding.question.text if finding.question else finding.description)[:200]}
    form = FindingActionForm(request.POST or None, initial=initial, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = finding_services.make_action(
                finding,
                actor=request.user,
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                due_date=data["due_date"],
                form_token=data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if action.just_created:
                messages.success(request, _("The action was created."))
            return redirect(finding.execution)
    return render(request, "inspections/finding_action.html", {"form": form, "finding": finding})


@requires(MANAGE)
@require_POST
def finding_close(request, pk):
    finding = visible_finding(request, pk)
    require(request.user, MANAGE, finding)
    form = CloseFindingForm(request.POST)
    if form.is_valid():
        try:
            finding_services.close_finding(
                finding, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The finding was closed."))
    else:
        messages.error(request, _("Give a reason."))
    return redirect(finding)
