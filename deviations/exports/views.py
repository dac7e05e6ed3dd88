"""Exports: the register as CSV or XLSX (what the person may see), one case as PDF."""

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import get_visible_or_404, requires
from accounts.scoping import can
from actions.services import actions_for
from audit.services import events_for
from deviations.exports.spreadsheet import (
    XLSX_MAX_ROWS,
    RegisterExport,
    csv_lines,
    log_export,
    xlsx_bytes,
)
from deviations.investigation.models import Investigation
from deviations.models import Clock, Deviation, Track
from deviations.queries import filter_register
from legal.rules import TrackKind
from organisation.pdf import render_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HISTORY_LIMIT = 200


def _back_to_register(request):
    query = request.GET.urlencode()
    return redirect(reverse("deviations:list") + (f"?{query}" if query else ""))


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@requires("deviations.view")
def register_export(request, fmt):
    """The register's current selection as CSV (streamed) or XLSX; same filters, same scope."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form, deviations = filter_register(request.user, request.GET)
    if form.is_bound and not form.is_valid():
        # The register shows what is wrong with the filter; nothing unfiltered leaves.
        return _back_to_register(request)
    name = slugify(_("deviations"))  # outside the f-string, where xgettext finds it
    filename = f"{name}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"
    if fmt == "xlsx":
        export = RegisterExport(request.user, deviations, limit=XLSX_MAX_ROWS + 1)
        if len(export) > XLSX_MAX_ROWS:
            messages.error(
                request,
                _(
                    "The selection has more than %(max)s reports, too many for a spreadsheet. "
                    "Narrow the filter (a period, a unit), or download it as CSV."
                )
                % {"max": formats.number_format(XLSX_MAX_ROWS, force_grouping=True)},
            )
            return _back_to_register(request)
        data = xlsx_bytes(export, _("Deviations"))
        log_export(request.user, request, fmt=fmt, count=len(export), form=form)
        return _attachment(HttpResponse(data, content_type=XLSX), filename)
    export = RegisterExport(request.user, deviations)
    log_export(request.user, request, fmt=fmt, count=len(export), form=form)
    response = StreamingHttpResponse(csv_lines(export), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def _clock_rows(clocks, now):
    return [
        {"clock": c, "overdue": c.met_at is None and c.due_at < now, "met": c.met_at is not None}
        for c in clocks
    ]


def case_context(user, deviation):
    """What the case PDF shows this person: restricted investigations only to their readers."""
    now = timezone.now()
    readable = set(
        Track.objects.readable_by(user).filter(deviation=deviation).values_list("pk", flat=True)
    )
    tracks = list(deviation.tracks.prefetch_related("transitions__actor"))
    clocks = {}
    for clock in Clock.objects.filter(deviation=deviation).select_related("rule"):
        clocks.setdefault(clock.track_id, []).append(clock)
    investigations = {
        i.track_id: i
        for i in Investigation.objects.filter(track__pk__in=readable)
        .select_related("decided_by")
        .prefetch_related("causes")
    }
    for track in tracks:
        track.readable = track.pk in readable and track.kind != TrackKind.NOT_DEVIATION
        track.clock_rows = _clock_rows(clocks.get(track.pk, []), now) if track.readable else []
        track.investigation_record = investigations.get(track.pk) if track.readable else None
        track.action_list = (
            list(actions_for(track).order_by("due_date", "pk")) if track.readable else []
        )
    show_history = can(user, "audit.view_history", deviation)
    events = None
    if show_history:
        events = list(
            filter(deviation.history_event_filter(user), events_for(deviation)[:HISTORY_LIMIT])
        )
    return {
        "deviation": deviation,
        "tracks": tracks,
        "report_clocks": _clock_rows(clocks.get(None, []), now),
        "show_identity": can(user, "deviations.view_identity", deviation),
        "attachments": list(deviation.attachments.values_list("name", flat=True)),
        "events": events,
        "organisation": deviation.unit.root(),
        "printed_at": now,
        "printed_by": user,
    }


@requires("deviations.view")
def case_pdf(request, pk):
    """One case as PDF; the read is logged like an opening of the case page."""
    deviation = get_visible_or_404(
        Deviation.objects.select_related("unit", "reported_by", "category"),
        request.user,
        request=request,
        pk=pk,
    )
    pdf = render_pdf("deviations/case_pdf.html", case_context(request.user, deviation), request)
    return _attachment(HttpResponse(pdf, content_type="application/pdf"), f"{deviation}.pdf")
