"""Staff's side of routines: the unit's current set, reading, acknowledging, the managers'
acknowledgment overview and the periodic reviews.

Every list starts from `Routine.objects.visible_to(user)`; a routine the person may not read
answers 404 like an unknown one. State changes go through routines.acknowledgments,
routines.reminders and routines.review.
"""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, requires
from accounts.models import RoleAssignment
from accounts.scoping import grants, holds, inherited_q
from core.forms import add_service_errors
from core.free_text import FreeTextMixin
from organisation.models import NodeKind, OrgNode
from routines import acknowledgments, reminders, review
from routines.models import (
    VIEW,
    Acknowledgment,
    BodyFormat,
    Routine,
    RoutineReview,
    VersionState,
)
from routines.search import search

MANAGE = "routines.manage"
RESULT_LIMIT = 100

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


# -- Rutiner för min enhet ---------------------------------------------------------------------


class MineForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search the routines"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Words from the title or the text, e.g. “läkemedel delegering”."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    role = forms.BooleanField(label=gettext_lazy("Only those for my role"), required=False)
    todo = forms.BooleanField(
        label=gettext_lazy("Only those I have to acknowledge"), required=False
    )


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
    ordered = search(routines, query) if query else routines.order_by("unit__path", "title", "pk")
    rows = list(
        ordered.select_related("unit", "current_version").prefetch_related("roles")[
            : RESULT_LIMIT + 1
        ]
    )
    for routine in rows:
        routine.to_acknowledge = routine.pk in todo
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
            "sections": list(routine.legal_sections.select_related("regulation")),
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


# -- the managers' acknowledgment overview -----------------------------------------------------


def manageable_units(user):
    return OrgNode.objects.visible_to(user, MANAGE).filter(is_active=True).order_by("path")


class UnitForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=OrgNode.objects.none(), empty_label=None
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        top = min((node.depth for node in units), default=0)
        # Indented by depth so the tree reads in the list (an em space per level).
        self.fields["unit"].label_from_instance = lambda node: (
            "\u2003" * max(node.depth - top, 0) + node.name
        )


def unit_routines(user, unit):
    """The routines in force for the people of the unit: those applying to it from above,
    and those of the units below it."""
    return in_force(
        Routine.objects.visible_to(user).filter(
            Q(unit_id__in=unit.ancestor_ids()) | Q(unit__path__startswith=unit.path),
            requires_acknowledgment=True,
        )
    ).order_by("title", "pk")


def _chosen_unit(request, units):
    wanted = request.GET.get("unit") or request.POST.get("unit")
    if wanted and str(wanted).isdigit():
        for node in units:
            if node.pk == int(wanted):
                return node
        raise Http404
    own = {g.node_id for g in grants(request.user, MANAGE)}
    return next((n for n in units if n.pk in own), units[0] if units else None)


@requires(MANAGE)
def acknowledgment_overview(request):
    units = list(manageable_units(request.user))
    unit = _chosen_unit(request, units)
    context = {"units": units, "unit": unit}
    if unit is not None:
        form = UnitForm(initial={"unit": unit.pk}, units=manageable_units(request.user))
        rows, total, per_unit = acknowledgments.overview(unit, unit_routines(request.user, unit))
        context.update(form=form, rows=rows, total=total, per_unit=per_unit)
    return render(request, "routines/staff_acknowledgments.html", context)


@requires(MANAGE)
@require_POST
def acknowledgment_remind(request, unit_pk):
    unit = get_visible_or_404(
        OrgNode.objects.filter(is_active=True), request.user, MANAGE, pk=unit_pk
    )
    routines = unit_routines(request.user, unit)
    routine_pk = request.POST.get("routine")
    if routine_pk:
        if not routine_pk.isdigit():
            raise Http404
        routines = routines.filter(pk=routine_pk)
    open_acks = Acknowledgment.objects.filter(
        version_id__in=routines.values("current_version_id"),
        unit__path__startswith=unit.path,
        acknowledged_at__isnull=True,
    ).select_related("user", "version__routine")
    sent = reminders.remind_now(list(open_acks), actor=request.user)
    if sent:
        messages.success(
            request,
            _("A reminder was sent about %(count)s unacknowledged routines.") % {"count": sent},
        )
    else:
        messages.warning(
            request,
            _("Nobody was reminded: everyone has acknowledged, or was already reminded today."),
        )
    return redirect(reverse("routines:acknowledgments") + f"?unit={unit.pk}")


# -- reviews -----------------------------------------------------------------------------------


class ReviewsFilter(forms.Form):
    within = forms.TypedChoiceField(
        label=gettext_lazy("Upcoming within"),
        coerce=int,
        choices=[
            (30, gettext_lazy("30 days")),
            (90, gettext_lazy("90 days")),
            (365, gettext_lazy("a year")),
        ],
        initial=90,
        required=False,
    )
    mine = forms.BooleanField(label=gettext_lazy("Only routines I own"), required=False)


@requires(VIEW)
def reviews(request):
    form = ReviewsFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    overdue, upcoming = review.reviews_for(
        request.user, within_days=data.get("within") or 90, mine_only=bool(data.get("mine"))
    )
    return render(
        request,
        "routines/staff_reviews.html",
        {"form": form, "overdue": overdue, "upcoming": upcoming},
    )


class ReviewForm(FreeTextMixin, forms.Form):
    free_text_fields = ("note",)

    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=RoutineReview.Outcome.choices,
        widget=forms.RadioSelect,
    )
    reviewed_on = forms.DateField(
        label=gettext_lazy("Reviewed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Who took part and what was checked; for a revision, what needs to change."
        ),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
            self.initial.setdefault("reviewed_on", timezone.localdate())


@requires(VIEW)
def review_routine(request, pk):
    routine = get_visible_or_404(
        Routine.objects.select_related("unit", "owner", "current_version"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )
    if not review.may_review(request.user, routine):
        raise PermissionDenied
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = review.record_review(
                    routine,
                    actor=request.user,
                    outcome=data["outcome"],
                    note=data["note"],
                    reviewed_on=data["reviewed_on"],
                    form_token=data["form_token"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _after_review(request, routine, done)
    else:
        form = ReviewForm()
    return render(
        request,
        "routines/staff_review_form.html",
        {
            "routine": routine,
            "form": form,
            "history": routine.reviews.select_related("reviewed_by", "version")[:10],
        },
    )


def _after_review(request, routine, done):
    if done.outcome == RoutineReview.Outcome.REVISE:
        version = getattr(done, "new_version", None)
        if done.just_created:
            messages.success(request, _("The review was recorded and a new draft was started."))
        if version is not None:
            return redirect("routines:version", pk=version.pk)
        return redirect("routines:detail", pk=routine.pk)
    if done.just_created:
        messages.success(
            request,
            _("The review was recorded. Next review: %(date)s.")
            % {"date": done.next_review_on.isoformat()},
        )
    return redirect("routines:reviews")
