"""A new routine, a new version, the upward proposal and its decision, and "revise routine"
from an action (the closed loop)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, requires
from accounts.scoping import can, scope_q
from core.forms import add_service_errors
from routines.forms import DecideForm, ProposeForm, ReviseForm, RoutineCreateForm
from routines.models import DRAFT, VIEW, Proposal, Routine
from routines.services.draft import create_routine
from routines.services.draft import new_version as start_version
from routines.services.loop import decide_proposal, may_decide, revise_from_action
from routines.services.loop import propose as propose_routine
from routines.views.visibility import visible_routine
from routines.views.workflow import EDIT_FIELDS


@requires(DRAFT)
def create(request):
    form = RoutineCreateForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            routine = create_routine(
                actor=request.user,
                unit=data["unit"],
                body=data["body"] if not data.get("file") else "",
                file=data.get("file"),
                change_summary=data["change_summary"],
                form_token=data["form_token"],
                **{name: data[name] for name in EDIT_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if routine.just_created:
                messages.success(
                    request,
                    _("Routine %(reference)s was created as a draft.")
                    % {"reference": routine.reference},
                )
            return redirect(routine)
    return render(request, "routines/create.html", {"form": form})


@requires(DRAFT)
@require_POST
def new_version(request, pk):
    routine = visible_routine(request, pk)
    if not can(request.user, DRAFT, routine):
        raise PermissionDenied
    try:
        version = start_version(routine, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(routine)
    messages.success(request, _("Version %(number)s was started.") % {"number": version.number})
    return redirect("routines:edit", pk=version.pk)


@requires(DRAFT)
def propose(request, pk):
    routine = visible_routine(request, pk)
    if not can(request.user, DRAFT, routine):
        raise PermissionDenied
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            propose_routine(routine, actor=request.user, motivation=form.cleaned_data["motivation"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The routine was proposed to the level above."))
            return redirect(routine)
    return render(request, "routines/propose.html", {"form": form, "routine": routine})


def _visible_proposal(request, pk):
    """A proposal: for those who see the proposed routine (the unit) or decide it (above)."""
    try:
        proposal = Proposal.objects.select_related(
            "routine", "to_node", "proposed_by", "decided_by", "adopted_as"
        ).get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    routine = visible_routine(request, proposal.routine_id)
    proposal.routine = routine
    return proposal


@requires(VIEW)
def proposal(request, pk):
    proposal = _visible_proposal(request, pk)
    deciding = may_decide(request.user, proposal) and proposal.outcome == Proposal.Outcome.PENDING
    form = DecideForm(request.POST or None) if deciding else None
    if request.method == "POST":
        if proposal.outcome != Proposal.Outcome.PENDING:
            messages.info(request, _("The proposal has already been decided."))
            return redirect("routines:proposal", pk=proposal.pk)
        if not deciding:
            raise PermissionDenied
        if form.is_valid():
            try:
                decide_proposal(
                    proposal,
                    actor=request.user,
                    adopt=form.cleaned_data["decision"] == DecideForm.ADOPT,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                proposal.refresh_from_db()
                if proposal.adopted_as_id:
                    messages.success(
                        request,
                        _("Adopted: %(reference)s is a draft for the whole level.")
                        % {"reference": proposal.adopted_as.reference},
                    )
                    return redirect(proposal.adopted_as)
                messages.success(request, _("The proposal was declined."))
                return redirect("routines:proposal", pk=proposal.pk)
    return render(request, "routines/proposal.html", {"proposal": proposal, "form": form})


def revisable_routines(user):
    """The routines a person may revise from an action: those of the nodes where they write
    routines (not the levels above, which they only read)."""
    return Routine.objects.filter(scope_q(user, DRAFT, "unit")).order_by("title", "pk")


@requires(DRAFT)
@require_POST
def revise(request, pk):
    """From an action's page: open a draft of the chosen routine linked to the action."""
    from actions.models import Action
    from actions.services import may_manage

    action = get_visible_or_404(Action.objects.all(), request.user, request=request, pk=pk)
    if not may_manage(request.user, action):
        raise PermissionDenied
    form = ReviseForm(request.POST, routines=revisable_routines(request.user))
    if form.is_valid():
        try:
            version = revise_from_action(
                action,
                form.cleaned_data["routine"],
                actor=request.user,
                change_summary=form.cleaned_data["change_summary"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Version %(number)s of %(routine)s is linked to the action. Edit it now.")
                % {"number": version.number, "routine": version.routine.reference},
            )
            return redirect("routines:edit", pk=version.pk)
    else:
        messages.error(request, _("Choose a routine you may revise."))
    return redirect(action)
