"""Hand an action's effect check to self-inspection: "follow up the effect in checklist X,
question Y" (services/follow_up.py). Reached from the action's page (inspections/effect.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import get_visible_or_404, requires
from actions.models import VIEW as ACTION_VIEW
from actions.models import Action
from actions.services import may_manage
from core.forms import add_service_errors
from inspections.forms.execution import FollowUpForm
from inspections.models.checklist import VIEW
from inspections.services.follow_up import hand_over, questions_for


@requires(VIEW)
def follow_up(request, pk):
    action = get_visible_or_404(
        Action.objects.select_related("unit"), request.user, ACTION_VIEW, request=request, pk=pk
    )
    if not may_manage(request.user, action):
        raise PermissionDenied
    form = FollowUpForm(request.POST or None, questions=questions_for(action.unit))
    if request.method == "POST" and form.is_valid():
        try:
            hand_over(action, actor=request.user, question=form.cleaned_data["question"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The effect will be recorded from the next self-inspection.")
            )
            return redirect(action)
    return render(request, "inspections/follow_up_form.html", {"form": form, "action": action})
