"""The register of routines, a routine's page, the document, print and the difference between
versions. State changes: routines/views/workflow.py → routines/services/; who sees what:
routines/views/visibility.py.
"""

from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from accounts.access import login_only, requires
from accounts.scoping import can, holds, scope_q
from routines.diff import diff_versions
from routines.forms import DiffForm, RegisterFilterForm
from routines.models import DRAFT, VIEW, BodyFormat, Proposal, Routine, RoutineVersion, VersionState
from routines.services.base import OPEN_STATES, body_text, open_version
from routines.services.loop import may_decide, may_propose
from routines.services.rules import MANAGE
from routines.views.visibility import (
    may_see_work,
    visible_routine,
    visible_version,
    visible_versions,
)

PAGE_SIZE = 50
REGISTER_FIELDS = (
    "reference",
    "title",
    "next_review_on",
    "unit__name",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
    "current_version__number",
)


# -- the register ----------------------------------------------------------------------------


def _filtered(request):
    user = request.user
    routines = Routine.objects.visible_to(user, VIEW)
    form = RegisterFilterForm(request.GET or None, user=user, routines=routines)
    # Ordered by number alone: the model's ordering would join the routine again.
    open_state = (
        RoutineVersion.objects.filter(routine=OuterRef("pk"), state__in=OPEN_STATES)
        .order_by("-number")
        .values("state")[:1]
    )
    rows = routines.annotate(open_state=Subquery(open_state))
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            rows = rows.filter(Q(title__icontains=data["q"]) | Q(reference__icontains=data["q"]))
        if data.get("unit"):
            rows = rows.filter(unit__path__startswith=data["unit"].path)
        if data.get("owner"):
            rows = rows.filter(owner=data["owner"])
        if data.get("mine"):
            rows = rows.filter(owner=user)
        state = data.get("state")
        if state == "published":
            rows = rows.filter(current_version__isnull=False)
        elif state == "in_work":
            rows = rows.filter(open_state__isnull=False)
        elif state == "review":
            rows = rows.filter(open_state=VersionState.REVIEW)
        elif state == "no_version":
            rows = rows.filter(current_version__isnull=True)
        elif state == "overdue":
            rows = rows.filter(next_review_on__lt=timezone.localdate())
    elif form.is_bound:
        # A filter the person is not offered (a unit outside their part, from a shared link)
        # shows its error and no rows, never more than the link counted.
        rows = rows.none()
    # Only what the list shows: the published version's text and the units' and owners' other
    # fields would be read and sorted along with every routine the person sees.
    rows = (
        rows.select_related("unit", "owner", "current_version")
        .only(*REGISTER_FIELDS)
        .order_by("title", "pk")
    )
    return form, rows


@requires(DRAFT, MANAGE)
def register(request):
    form, rows = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    for routine in page.object_list:
        routine.overdue = routine.review_overdue(today)
        routine.open_label = VersionState(routine.open_state).label if routine.open_state else ""
    return render(
        request,
        "routines/register.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_create": holds(request.user, DRAFT),
            "proposals": Proposal.objects.filter(
                scope_q(request.user, DRAFT, "to_node"), outcome=Proposal.Outcome.PENDING
            ).select_related("routine", "to_node"),
        },
    )


# -- one routine -----------------------------------------------------------------------------


@requires(VIEW)
def detail(request, pk):
    routine = visible_routine(request, pk)
    user = request.user
    versions = list(
        visible_versions(user, routine).select_related("created_by", "approved_by").distinct()
    )
    working_version = next((v for v in versions if v.state in OPEN_STATES), None)
    proposals = routine.proposals.select_related(
        "to_node", "proposed_by", "decided_by", "adopted_as"
    )
    return render(
        request,
        "routines/detail.html",
        {
            "routine": routine,
            "current": routine.current_version,
            "versions": versions,
            "open_version": working_version,
            "proposals": proposals,
            "adoptions": Routine.objects.visible_to(user).filter(adopted_from=routine),
            "may_new_version": can(user, DRAFT, routine) and open_version(routine) is None,
            "may_propose": may_propose(user, routine)
            and not any(p.outcome == "pending" for p in proposals),
            "may_decide": any(may_decide(user, p) for p in proposals),
            "may_manage": may_see_work(user, routine),
            "overdue": routine.review_overdue(),
        },
    )


@requires(VIEW)
def print_view(request, pk):
    """The published version, ready to print: reference, version, approval, dates."""
    routine = visible_routine(request, pk)
    version = routine.current_version
    if version is None:
        raise Http404
    version.routine = routine
    return render(
        request,
        "routines/print.html",
        {
            "routine": routine,
            "version": version,
            "text": body_text(version) if version.body_format == BodyFormat.FILE else "",
            "roles": routine.roles.all(),
            "legal_sections": routine.legal_sections.select_related(
                "regulation", "counterpart__regulation"
            ),
            "printed_at": timezone.localtime(),
        },
    )


@requires(VIEW)
def diff(request, pk):
    routine = visible_routine(request, pk)
    versions = {v.number: v for v in visible_versions(request.user, routine).distinct()}
    numbers = sorted(versions, reverse=True)
    data = request.GET if "a" in request.GET else None
    if data is None and len(numbers) >= 2:
        data = {"a": numbers[1], "b": numbers[0]}
    form = DiffForm(data, numbers=numbers)
    result = old = new = None
    if data is not None and form.is_valid():
        old, new = versions[form.cleaned_data["a"]], versions[form.cleaned_data["b"]]
        old.routine = new.routine = routine
        result = diff_versions(old, new)
    return render(
        request,
        "routines/diff.html",
        {
            "routine": routine,
            "form": form,
            "result": result,
            "old": old,
            "new": new,
            "too_few": len(numbers) < 2,
        },
    )


# -- one version -----------------------------------------------------------------------------


@login_only
def download(request, pk):
    """The uploaded document of a version, only through this permission check."""
    version = visible_version(request, pk)
    if version.body_format != BodyFormat.FILE or not version.file:
        raise Http404
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, ValueError, OSError):
        raise Http404 from None
    name = version.file_name or version.file.name.rsplit("/", 1)[-1]
    kind = (
        "application/pdf"
        if name.lower().endswith(".pdf")
        else ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    )
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
