"""Staff's side of routines: the unit's current set, reading and acknowledging.

Every list starts from `Routine.objects.visible_to(user)`; a routine the person may not read
answers 404 like an unknown one. State changes go through routines.acknowledgments.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, requires
from accounts.models import RoleAssignment
from accounts.scoping import grants, holds, inherited_q
from organisation.models import NodeKind, OrgNode
from routines import acknowledgments, review
from routines.forms import MineForm
from routines.models import VIEW, Acknowledgment, BodyFormat, Routine, VersionState
from routines.search import search
from routines.services.rules import MANAGE

RESULT_LIMIT = 100
# A version's texts, which the lists of routines do not show.
VERSION_TEXTS = ("body", "search_text", "change_summary", "end_reason")

# The levels "Rutiner för min enhet" groups by, top first.
LEVELS = (
    (
        "organisation",
        gettext_lazy("For the whole organisation"),
        (NodeKind.BOARD, NodeKind.ADMINISTRATION),
    ),
    ("department", gettext_lazy("For the department"), (NodeKind.DEPARTMENT,)),
    ("unit", gettext_lazy("For the unit"), (NodeKind.UNIT, NodeKind.OPERATION)),
)


def in_force(queryset):
    return queryset.filter(current_version__state=VersionState.PUBLISHED, withdrawn_at__isnull=True)


def read_links():
    """A function from a routine's id to its reading page, from one reverse(): the lists show
    up to hundreds of routines, and a reverse per row was a good part of their time."""
    marker = "987654321987654321"
    pattern = reverse("routines:read", args=[marker])
    return lambda pk: pattern.replace(marker, str(pk))


def with_read_links(routines):
    """Give each routine its `read_url` (read_links)."""
    link = read_links()
    for routine in routines:
        routine.read_url = link(routine.pk)
    return routines


# -- Rutiner för min enhet ---------------------------------------------------------------------


def mine_queryset(user):
    """The routines in force that apply to the person's units (their own and those above)."""
    held = grants(user, VIEW)
    return in_force(Routine.objects.visible_to(user).filter(inherited_q(held, "unit")))


def my_role_ids(user):
    return set(
        RoleAssignment.objects.active()
        .filter(user=user, node__is_active=True, role__permissions__key=VIEW)
        .values_list("role_id", flat=True)
    )


def _grouped(routines):
    groups = []
    for key, title, kinds in LEVELS:
        rows = [r for r in routines if r.unit.kind in kinds]
        if rows:
            groups.append({"key": key, "title": title, "routines": rows})
    return groups


@requires(VIEW)
def mine(request):
    user = request.user
    form = MineForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    query = (data.get("q") or "").strip()
    routines = mine_queryset(user)
    if data.get("role"):
        for_me = Routine.objects.filter(Q(roles__isnull=True) | Q(roles__in=my_role_ids(user)))
        routines = routines.filter(pk__in=for_me.values("pk"))
    todo = set(acknowledgments.open_tasks(user).values_list("version__routine_id", flat=True))
    if data.get("todo"):
        routines = routines.filter(pk__in=todo)
    if query:
        # The units read apart: the planner cannot tell how many routines a search finds, and
        # joined the units to each of them in a loop.
        ordered = search(routines, query).prefetch_related("unit")
    else:
        ordered = routines.order_by("unit__path", "title", "pk").select_related("unit")
    rows = list(
        ordered.select_related("current_version")
        .defer(*(f"current_version__{name}" for name in VERSION_TEXTS))
        .prefetch_related(Prefetch("roles", to_attr="role_list"))[: RESULT_LIMIT + 1]
    )
    for routine in with_read_links(rows):
        routine.to_acknowledge = routine.pk in todo
        routine.role_names = ", ".join(role.label for role in routine.role_list)
    context = {
        "form": form,
        "query": query,
        "results": rows[:RESULT_LIMIT],
        "more": len(rows) > RESULT_LIMIT,
        "groups": [] if query else _grouped(rows[:RESULT_LIMIT]),
        "todo_count": len(todo),
        "may_manage": holds(user, MANAGE),
        "units": OrgNode.objects.filter(pk__in={g.node_id for g in grants(user, VIEW)})
        .order_by("path")
        .values_list("name", flat=True),
    }
    if request.htmx:
        return render(request, "routines/staff_mine_results.html", context)
    return render(request, "routines/staff_mine.html", context)


# -- reading and acknowledging -----------------------------------------------------------------


def _paragraphs(version):
    """An uploaded document's extracted text, for reading in the page (the file is linked)."""
    if version.body_format != BodyFormat.FILE:
        return []
    text = version.search_text.partition("\n\n")[2]
    return [line.strip() for line in text.splitlines() if line.strip()]


@requires(VIEW)
def read(request, pk):
    routine = get_visible_or_404(
        in_force(Routine.objects.select_related("unit", "owner", "current_version")),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )
    version = routine.current_version
    task = (
        Acknowledgment.objects.filter(user=request.user, version=version)
        .only("pk", "acknowledged_at")
        .first()
    )
    return render(
        request,
        "routines/staff_read.html",
        {
            "routine": routine,
            "version": version,
            "is_file": version.body_format == BodyFormat.FILE,
            "paragraphs": _paragraphs(version),
            "task": task,
            "roles": list(routine.roles.all()),
            "sections": list(
                routine.legal_sections.select_related("regulation", "counterpart__regulation")
            ),
            "may_review": review.may_review(request.user, routine),
        },
    )


@requires(VIEW)
@require_POST
def acknowledge(request, pk):
    # Only one's own task: anyone else's answers 404 like an unknown one.
    ack = (
        Acknowledgment.objects.filter(user=request.user, pk=pk)
        .select_related("version__routine")
        .first()
    )
    if ack is None:
        raise Http404
    routine = ack.version.routine
    try:
        ack = acknowledgments.acknowledge(ack, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if ack.just_acknowledged:
            messages.success(
                request,
                _("Thank you. You have acknowledged “%(title)s”.") % {"title": routine.title},
            )
    if routine.current_version_id is None:
        return redirect("routines:mine")
    return redirect("routines:read", pk=routine.pk)
