"""Moving a unit's open cases to the unit that takes over, so that the unit can be closed."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, require, requires
from core.forms import add_service_errors
from organisation import services as org
from organisation.models import OrgNode
from organisation.open_cases import open_cases


class MoveCasesForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=OrgNode.objects.none(),
        label=gettext_lazy("Move the open cases to"),
        empty_label=gettext_lazy("Choose unit"),
    )

    def __init__(self, *args, user, node, **kwargs):
        super().__init__(*args, **kwargs)
        # Only units the person manages: a unit outside the scope is no choice, so an id sent
        # for one answers as any unknown choice does.
        self.fields["target"].queryset = (
            OrgNode.objects.visible_to(user, "organisation.manage")
            .filter(is_active=True, kind__in=org.CASE_KINDS | {node.kind})
            .exclude(path__startswith=node.path)
            .order_by("path", "name")
        )


def refused_page(request, node, *, message="", form=None, status=409):
    """The unit cannot be closed: what holds it open, and where the cases can be moved."""
    return render(
        request,
        "organisation/node_close_refused.html",
        {
            "node": node,
            "cases": open_cases(node),
            "message": message,
            "form": form or MoveCasesForm(user=request.user, node=node),
        },
        status=status,
    )


@require_POST
@requires("organisation.manage")
def node_move_cases(request, pk):
    node = get_visible_or_404(
        OrgNode.objects.all(), request.user, "organisation.view", request=request, pk=pk
    )
    require(request.user, "organisation.manage", node)
    form = MoveCasesForm(request.POST, user=request.user, node=node)
    if form.is_valid():
        target = form.cleaned_data["target"]
        require(request.user, "organisation.manage", target)
        try:
            counts = org.move_open_cases(node, target, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = sum(counts.values())
            moved = ngettext(
                "%(count)d open case was moved to %(target)s.",
                "%(count)d open cases were moved to %(target)s.",
                count,
            ) % {"count": count, "target": target.name}
            messages.success(request, " ".join([moved, _("Try closing the unit again.")]))
            return redirect("organisation:node_detail", pk=node.pk)
    return refused_page(request, node, form=form, status=400)
