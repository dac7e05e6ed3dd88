"""The handling side of deviations: the register, the case page, triage.

The reporter's side is in deviations/reporting/views.py; the work on a track in
deviations/investigation/views.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import get_visible_or_404, requires
from accounts.scoping import can
from core import versioning
from core.forms import add_service_errors
from deviations import services
from deviations.authority.recipients import RECIPIENTS
from deviations.citations import CLOCK_RELATED, CaseLaw
from deviations.forms import AwareForm, CategoryForm, TriageForm
from deviations.models import (
    TRACK_TRANSITIONS,
    Clock,
    Deviation,
    DeviationStatus,
    Track,
    TrackState,
)
from deviations.origins import origins
from deviations.queries import CappedPaginator, filter_register
from legal.rules import ClockStart, TrackRule


@requires("deviations.view")
def register(request):
    form, deviations = filter_register(request.user, request.GET)
    # The protected identity is never read for a list (only the case page shows it).
    listed = deviations.select_related("unit", "category").defer(
        "affected_person", "immediate_action"
    )
    page = CappedPaginator(listed, 50).get_page(request.GET.get("page"))
    ids = [d.pk for d in page.object_list]
    tracks, clocks, hidden = {}, {}, set()
    # A restricted track the person may not read (lex Sarah, lex Maria): its deadline says why
    # the investigation cannot be opened. The excerpt of what happened is shown as on the case
    # page, which everyone who sees the row may open; only the investigation is restricted.
    unreadable = Track.objects.not_readable_by(request.user).filter(pk=OuterRef("pk"))
    for track in (
        Track.objects.filter(deviation_id__in=ids)
        .annotate(hidden=Exists(unreadable))
        .only("deviation_id", "kind", "state")
    ):
        tracks.setdefault(track.deviation_id, []).append(track)
        if track.hidden:
            hidden.add(track.pk)
    open_clocks = Clock.objects.filter(deviation_id__in=ids, met_at__isnull=True)
    for clock in open_clocks.select_related("rule").order_by("due_at"):
        clocks.setdefault(clock.deviation_id, clock)
    for deviation in page.object_list:
        deviation.track_list = tracks.get(deviation.pk, [])
        deviation.next_clock = clocks.get(deviation.pk)
        deviation.clock_restricted = (
            deviation.next_clock is not None and deviation.next_clock.track_id in hidden
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "deviations/register.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _clock_rows(clocks):
    now = timezone.now()
    return [
        {
            "clock": c,
            "overdue": c.met_at is None and c.due_at < now,
            "remaining": c.due_at - now if c.met_at is None else None,
        }
        for c in clocks
    ]


@requires("deviations.view")
def detail(request, pk):
    deviation = get_visible_or_404(
        Deviation.objects.select_related("unit", "reported_by", "category"),
        request.user,
        request=request,
        pk=pk,
    )
    readable = set(
        Track.objects.readable_by(request.user)
        .filter(deviation=deviation)
        .values_list("pk", flat=True)
    )
    rules = {r.kind: r for r in TrackRule.objects.in_force()}
    tracks = list(
        deviation.tracks.prefetch_related(
            "investigators",
            "transitions__actor",
            "notifications",
            Prefetch("clocks", queryset=Clock.objects.select_related(*CLOCK_RELATED)),
        )
    )
    # The law in force on the case's date for the unit's law areas (deviations/citations.py).
    case_law = CaseLaw(deviation)
    citations = case_law.references([t.kind for t in tracks])
    may_investigate = can(request.user, "deviations.investigate", deviation)
    may_notify = can(request.user, "deviations.notify", deviation)
    for track in tracks:
        track.readable = track.pk in readable
        track.rule = rules.get(track.kind)
        track.citations = citations[track.kind]
        track.clock_rows = _clock_rows(case_law.mark_clocks(track.clocks.all()))
        # What the register shows of a track the person may not read: its next deadline.
        track.next_open = min(
            (c for c in track.clocks.all() if c.met_at is None),
            key=lambda c: c.due_at,
            default=None,
        )
        track.steps = (
            [
                action
                for action, (source, _target) in TRACK_TRANSITIONS.items()
                if source == track.state and action == "start_investigation"
            ]
            if track.readable and may_investigate
            else []
        )
        track.may_investigate = track.readable and may_investigate
        # Authority notifications (authority/views.py): readers see them, notifiers draft them.
        track.may_notify = track.readable and may_notify and track.kind in RECIPIENTS
        track.may_judge = (
            track.readable
            and may_investigate
            and track.kind in ("lex_sarah", "lex_maria", "data_breach")
            and track.state in (TrackState.OPEN, TrackState.INVESTIGATING)
        )
    may_triage = (
        can(request.user, "deviations.triage", deviation)
        and deviation.status == DeviationStatus.REPORTED
    )
    return render(
        request,
        "deviations/detail.html",
        {
            "deviation": deviation,
            "tracks": tracks,
            "report_clocks": _clock_rows(
                case_law.mark_clocks(
                    deviation.clocks.filter(track__isnull=True).select_related(*CLOCK_RELATED)
                )
            ),
            "show_identity": can(request.user, "deviations.view_identity", deviation),
            "attachments": deviation.attachments.all(),
            "triage_form": TriageForm() if may_triage else None,
            "may_change_aware": deviation.status == DeviationStatus.TRIAGED
            and services.may_change_aware_at(request.user, deviation),
            # Before classification the kind is set on the classify page.
            "may_change_category": deviation.status == DeviationStatus.TRIAGED
            and services.may_change_category(request.user, deviation),
            "rules": rules.values() if may_triage else (),
            "origins": origins(deviation, request.user),
        },
    )


@requires("deviations.triage")
def triage(request, pk):
    deviation = get_visible_or_404(
        Deviation.objects.select_related("unit", "category"), request.user, request=request, pk=pk
    )
    if not can(request.user, "deviations.triage", deviation):
        raise PermissionDenied
    form = TriageForm(request.POST or None, deviation=deviation)
    if request.method == "POST" and form.is_valid():
        try:
            services.triage(
                deviation,
                actor=request.user,
                kinds=form.cleaned_data["kinds"],
                reason=form.cleaned_data["reason"],
                work_environment=form.cleaned_data["work_environment"],
                aware_at=form.cleaned_data["aware_at"],
                category=form.cleaned_data["category"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The report was classified."))
            return redirect("deviations:detail", pk=deviation.pk)
    rules = list(TrackRule.objects.in_force())
    citations = CaseLaw(deviation).references([r.kind for r in rules])
    for rule in rules:
        rule.citations = citations[rule.kind]
    return render(
        request, "deviations/triage.html", {"deviation": deviation, "form": form, "rules": rules}
    )


def _stored_aware(deviation):
    return AwareForm(deviation=Deviation.objects.select_for_update().get(pk=deviation.pk))


def _correct(request, deviation, form, *, stored, change, done, template, context=None):
    """A correction of one thing on the case (the time of awareness, the kind of event): the
    version check, the service, its Swedish refusals, and back to the case page."""
    form = versioning.stamp(form)
    if request.method == "POST" and form.is_valid():
        try:
            with versioning.guard(form, stored):
                changed = change(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            if changed:
                messages.success(request, done)
            return redirect("deviations:detail", pk=deviation.pk)
    return render(
        request,
        template,
        {"deviation": deviation, "form": form, **(context or {})},
        status=versioning.status(form),
    )


@requires("deviations.view")
def aware(request, pk):
    """Correct when the organisation became aware: the clocks that count from it move."""
    deviation = get_visible_or_404(
        Deviation.objects.select_related("unit"), request.user, request=request, pk=pk
    )
    if not services.may_change_aware_at(request.user, deviation):
        raise PermissionDenied
    clocks = deviation.clocks.filter(rule__starts=ClockStart.AWARE).select_related("rule")
    return _correct(
        request,
        deviation,
        AwareForm(request.POST or None, deviation=deviation),
        stored=lambda: _stored_aware(deviation),
        change=lambda data: services.change_aware_at(
            deviation, actor=request.user, aware_at=data["aware_at"]
        ),
        done=_("The time was changed. The deadlines that count from it moved."),
        template="deviations/aware.html",
        context={"clock_rows": _clock_rows(clocks)},
    )


def _stored_category(deviation):
    return CategoryForm(deviation=Deviation.objects.select_for_update().get(pk=deviation.pk))


@requires("deviations.triage")
def category(request, pk):
    """Correct the kind of event after classification (before it, the classify page sets it)."""
    deviation = get_visible_or_404(
        Deviation.objects.select_related("unit", "category"), request.user, request=request, pk=pk
    )
    if not services.may_change_category(request.user, deviation):
        raise PermissionDenied
    return _correct(
        request,
        deviation,
        CategoryForm(request.POST or None, deviation=deviation),
        stored=lambda: _stored_category(deviation),
        change=lambda data: services.change_category(
            deviation, actor=request.user, category=data["category"]
        ),
        done=_("The kind of event was changed."),
        template="deviations/category.html",
    )
