"""The managers' side of routines: the acknowledgment overview with its reminders, and the
periodic reviews.

Every list starts from `Routine.objects.visible_to(user)`; a routine the person may not read
answers 404 like an unknown one. State changes go through routines.acknowledgments,
routines.reminders and routines.review.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, requires
from accounts.scoping import grants
from core.forms import add_service_errors
from organisation.models import OrgNode
from routines import acknowledgments, reminders, review
from routines.forms import ReviewForm, ReviewsFilter, UnitForm
from routines.models import VIEW, Acknowledgment, Routine, RoutineReview
from routines.services.rules import MANAGE
from routines.views.reading import in_force

# -- the managers' acknowledgment overview -----------------------------------------------------


def manageable_units(user):
    return OrgNode.objects.visible_to(user, MANAGE).filter(is_active=True).order_by("path")


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
        form = UnitForm(initial={"unit": unit.pk}, units=units)
        rows, total, per_unit, named = acknowledgments.overview(
            unit, unit_routines(request.user, unit)
        )
        context.update(form=form, rows=rows, total=total, per_unit=per_unit, named=named)
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
