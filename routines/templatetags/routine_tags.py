"""The closed loop on an action's page: "Revise routine" and the versions answering it."""

from django import template

from accounts.scoping import holds
from routines.models import DRAFT, Routine

register = template.Library()


@register.inclusion_tag("routines/_revise.html", takes_context=True)
def revise_routine(context, action):
    """The versions linked to the action (those the person may read), and for an open action
    the person may manage a form to open a revision of a routine they write."""
    from actions.models import Status
    from actions.services import may_manage
    from routines.forms import ReviseForm
    from routines.views.create import revisable_routines

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    visible = Routine.objects.visible_to(user).values("pk")
    linked = list(action.routine_versions.filter(routine__in=visible).select_related("routine"))
    form = None
    if (
        action.status in (Status.PLANNED, Status.IN_PROGRESS)
        and holds(user, DRAFT)
        and may_manage(user, action)
    ):
        routines = revisable_routines(user)
        if routines.exists():
            form = ReviseForm(routines=routines, auto_id="revise_%s")
    return {"show": bool(linked or form), "action": action, "linked": linked, "form": form}
