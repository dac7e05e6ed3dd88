"""The risk register: the analyses the person may see, filtered and paginated, in a fixed
number of queries whatever the number of rows."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from accounts.access import requires
from accounts.scoping import holds
from organisation.models import OrgNode
from risks.forms import RegisterFilterForm
from risks.models import MANAGE, VIEW, RiskAnalysis

PAGE_SIZE = 50


@requires(VIEW)
def register(request):
    form = RegisterFilterForm(request.GET or None)
    rows = (
        form.filter(RiskAnalysis.objects.visible_to(request.user), request.user)
        .select_related("unit", "responsible")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for analysis in page.object_list:
        analysis.late = analysis.is_overdue(today)
    part = None
    if form.is_valid() and form.cleaned_data["node"]:
        # Named only when the person may see it (the statistics link here with ?node=).
        part = (
            OrgNode.objects.visible_to(request.user, VIEW)
            .filter(pk=form.cleaned_data["node"])
            .first()
        )
    return render(
        request,
        "risks/register.html",
        {
            "form": form,
            "part": part,
            "page": page,
            "filtered": any(k != "page" for k in request.GET),
            "may_create": holds(request.user, MANAGE),
        },
    )
