"""The reporter's side of deviations: the report form, the receipt, My reports, the unit's link.

The handling side (register, case page, triage) is in deviations/views.py.
"""

import io

import segno
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.access import get_visible_or_404, login_only, require, requires
from accounts.scoping import can
from audit.services import log_read
from core.site import absolute_url
from deviations import services
from deviations.models import Attachment, Deviation, Track
from deviations.reporting import attachments
from deviations.reporting.forms import ReportForm
from deviations.reporting.keys import SubmissionKeyReused, fresh_key
from legal.rules import TrackKind
from organisation.models import NodeKind, OrgNode

REPORT = "deviations.report"
PAGE_SIZE = 25
# How long the browser keeps an unsent report (static/js/report-draft.js); on a shared phone it
# must not stay for days.
DRAFT_HOURS = 24


def report_units(user, extra=None):
    """The units and operations the person reports for (any node they may report for if none)."""
    nodes = OrgNode.objects.visible_to(user, REPORT).filter(is_active=True)
    units = nodes.filter(kind__in=[NodeKind.UNIT, NodeKind.OPERATION])
    if not units.exists():
        units = nodes
    if extra is not None:
        units = OrgNode.objects.filter(Q(pk__in=units.values("pk")) | Q(pk=extra.pk))
    return units.order_by("path")


def _link_unit(user, unit_pk):
    """The unit of a printed link: 404 alike for unknown, closed and not the person's."""
    unit = OrgNode.objects.filter(pk=unit_pk, is_active=True).first()
    if unit is None or not can(user, REPORT, unit):
        raise Http404
    return unit


def _file_report(form, actor):
    """The report and its files in one transaction; a repeated submit gets the first report."""
    data = form.cleaned_data
    with transaction.atomic():
        deviation = services.report(
            actor=actor,
            unit=data["unit"],
            submission_key=data.get("submission_key"),
            **form.report_fields(),
        )
        if not getattr(deviation, "repeated", False):
            for file in data["attachments"]:
                attachments.add_attachment(deviation, file, actor=actor)
    return deviation


@requires(REPORT)
def report(request, unit_pk=None):
    user = request.user
    unit = _link_unit(user, unit_pk) if unit_pk is not None else None
    units = report_units(user, extra=unit)
    already_sent = None
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, units=units, unit=unit)
        if form.is_valid():
            try:
                deviation = _file_report(form, user)
            except SubmissionKeyReused as reused:
                # Nothing filed, nothing dropped: the text stays, under a key of its own.
                already_sent = reused.existing
                data = request.POST.copy()
                data["submission_key"] = str(fresh_key())
                form = ReportForm(data, units=units, unit=unit)
                form.is_valid()
            else:
                url = reverse("deviations:received", kwargs={"pk": deviation.pk})
                return redirect(f"{url}?again=1" if deviation.repeated else url)
    else:
        form = ReportForm(units=units, unit=unit)
    response = render(
        request,
        "deviations/report.html",
        {
            "form": form,
            "link_unit": unit,
            "already_sent": already_sent,
            "draft_scope": f"{user.pk}:{request.path}",
            "draft_hours": DRAFT_HOURS,
            "files_dropped": form.is_bound
            and (bool(form.errors) or already_sent is not None)
            and bool(request.FILES),
        },
    )
    # Back after filing must fetch a new form (with a new key), never show the sent one.
    response["Cache-Control"] = "private, no-store"
    return response


def _own_report(request, pk):
    """One of the person's own reports; anyone else's answers 404 like an unknown one."""
    deviation = (
        Deviation.objects.reported_by(request.user)
        .select_related("unit", "category")
        .filter(pk=pk)
        .first()
    )
    if deviation is None:
        raise Http404
    return deviation


@requires(REPORT)
def received(request, pk):
    deviation = _own_report(request, pk)
    return render(
        request,
        "deviations/report_received.html",
        {"deviation": deviation, "again": request.GET.get("again") == "1"},
    )


@requires(REPORT)
def mine(request):
    reports = (
        Deviation.objects.reported_by(request.user)
        .select_related("unit")
        .only(
            "pk", "reference", "reported_at", "occurred_at", "status", "description", "unit__name"
        )
        .order_by("-reported_at", "-pk")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deviations/mine.html", {"page": page})


@requires(REPORT)
def mine_detail(request, pk):
    deviation = _own_report(request, pk)
    log_read(request.user, deviation, request=request)
    # The reporter sees the overall status only; of the tracks, only the reason a report was
    # judged not to be a deviation (lex Sarah and lex Maria investigations are restricted).
    not_deviation = (
        Track.objects.filter(deviation=deviation, kind=TrackKind.NOT_DEVIATION)
        .only("reason")
        .first()
    )
    return render(
        request,
        "deviations/mine_detail.html",
        {
            "deviation": deviation,
            "not_deviation": not_deviation,
            "attachments": deviation.attachments.all(),
        },
    )


def _managed_unit(request, unit_pk):
    """The unit whose link is printed: 404 if not visible, 403 if visible but not managed."""
    unit = get_visible_or_404(
        OrgNode.objects.all(), request.user, "organisation.view", pk=unit_pk, is_active=True
    )
    require(request.user, "deviations.triage", unit)
    return unit


def unit_report_url(request, unit):
    return absolute_url(reverse("deviations:report_unit", kwargs={"unit_pk": unit.pk}), request)


@requires("organisation.view")
def unit_link(request, unit_pk):
    unit = _managed_unit(request, unit_pk)
    return render(
        request,
        "deviations/unit_link.html",
        {"unit": unit, "link": unit_report_url(request, unit)},
    )


@requires("organisation.view")
def unit_qr(request, unit_pk):
    unit = _managed_unit(request, unit_pk)
    qr = segno.make(unit_report_url(request, unit), error="m")
    svg = io.BytesIO()
    qr.save(svg, kind="svg", scale=8, border=4, omitsize=True, dark="#000", light="#fff")
    response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_only
def attachment(request, pk):
    """A file of a report: for its reporter, and for those who see the unit's reports."""
    user = request.user
    allowed = Q(deviation__reported_by=user) | Q(
        deviation__in=Deviation.objects.visible_to(user).values("pk")
    )
    item = Attachment.objects.filter(allowed, pk=pk).select_related("deviation").first()
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    log_read(user, item.deviation, request=request)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.name,
        content_type=attachments.attachment_type(item.name) or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
