"""The handling side of deviations: the register, the case page, triage.

The reporter's side is in deviations/reporting/views.py; the work on a track in
deviations/investigation/views.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import get_visible_or_404, requires
from accounts.scoping import can
from deviations import services
from deviations.authority.recipients import RECIPIENTS
from deviations.forms import TriageForm
from deviations.models import (
    TRACK_TRANSITIONS,
    Clock,
    Deviation,
    DeviationStatus,
    Track,
    TrackState,
)
from deviations.queries import CappedPaginator, filter_register
from legal.rules import TrackRule


@requires("deviations.view")
def register(request):
    form, deviations = filter_register(request.user, request.GET)
    page = CappedPaginator(deviations.select_related("unit"), 50).get_page(request.GET.get("page"))
    ids = [d.pk for d in page.object_list]
    tracks, clocks = {}, {}
    for track in Track.objects.filter(deviation_id__in=ids).only("deviation_id", "kind", "state"):
        tracks.setdefault(track.deviation_id, []).append(track)
    for clock in Clock.objects.filter(deviation_id__in=ids, met_at__isnull=True).order_by("due_at"):
        clocks.setdefault(clock.deviation_id, clock)
    for deviation in page.object_list:
        deviation.track_list = tracks.get(deviation.pk, [])
        deviation.next_clock = clocks.get(deviation.pk)
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
        Deviation.objects.select_related("unit", "reported_by"),
        request.user,
        request=request,
        pk=pk,
    )
    readable = set(
        Track.objects.readable_by(request.user)
        .filter(deviation=deviation)
        .values_list("pk", flat=True)
    )
    rules = {
        r.kind: r for r in TrackRule.objects.in_force().prefetch_related("sections__regulation")
    }
    tracks = list(
        deviation.tracks.prefetch_related(
            "investigators",
            "transitions__actor",
            "notifications",
            Prefetch("clocks", queryset=Clock.objects.select_related("rule__section__regulation")),
        )
    )
    may_investigate = can(request.user, "deviations.investigate", deviation)
    may_notify = can(request.user, "deviations.notify", deviation)
    for track in tracks:
        track.readable = track.pk in readable
        track.rule = rules.get(track.kind)
        track.clock_rows = _clock_rows(track.clocks.all())
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
                deviation.clocks.filter(track__isnull=True).select_related("rule")
            ),
            "show_identity": can(request.user, "deviations.view_identity", deviation),
            "attachments": deviation.attachments.all(),
            "triage_form": TriageForm() if may_triage else None,
            "rules": rules.values() if may_triage else (),
        },
    )


@requires("deviations.triage")
def triage(request, pk):
    deviation = get_visible_or_404(
        Deviation.objects.select_related("unit"), request.user, request=request, pk=pk
    )
    if not can(request.user, "deviations.triage", deviation):
        raise PermissionDenied
    form = TriageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.triage(
                deviation,
                actor=request.user,
                kinds=form.cleaned_data["kinds"],
                reason=form.cleaned_data["reason"],
                work_environment=form.cleaned_data["work_environment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report was classified."))
            return redirect("deviations:detail", pk=deviation.pk)
    rules = TrackRule.objects.in_force().prefetch_related("sections__regulation")
    return render(
        request, "deviations/triage.html", {"deviation": deviation, "form": form, "rules": rules}
    )
