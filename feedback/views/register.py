"""The staff's side: the list of the feedback a person may see, one feedback's page (a read
of a sensitive record, logged), and feedback registered by staff."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import get_visible_or_404, may_open, requires
from accounts.scoping import can, holds
from actions.services import actions_for
from core.forms import add_service_errors
from feedback.forms import RegisterForm
from feedback.letter import render_letter_docx, render_letter_pdf
from feedback.models import (
    COORDINATE,
    HANDLE,
    OPEN,
    REGISTER,
    VIEW,
    Feedback,
    Kind,
    Status,
    Theme,
)
from feedback.services.intake import register as register_feedback
from organisation.models import OrgNode

PAGE_SIZE = 50


class ListFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            ("", gettext_lazy("Not yet finished")),
            ("late", gettext_lazy("Past a target")),
            ("unacknowledged", gettext_lazy("Receipt not confirmed")),
            ("all", gettext_lazy("All")),
        ],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Every kind")), *Kind.choices],
    )
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=gettext_lazy("Every theme"),
    )
    # From a unit's page of open cases (closing it): that unit's feedback only.
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # From the statistics: the year received and the part of the organisation counted.
    year = forms.IntegerField(required=False, widget=forms.HiddenInput)
    node = forms.IntegerField(required=False, widget=forms.HiddenInput)
    health_care = forms.BooleanField(label=gettext_lazy("Only about health care"), required=False)


def rows_for(user, params):
    """The filter form and the rows the list shows (the start-page figures count the same)."""
    form = ListFilterForm(params or None)
    rows = Feedback.objects.visible_to(user, VIEW).handled()
    show = kind = ""
    if form.is_valid():
        show, kind = form.cleaned_data["show"], form.cleaned_data["kind"]
        if form.cleaned_data["unit"]:
            rows = rows.filter(unit_id=form.cleaned_data["unit"])
        if form.cleaned_data["year"]:
            rows = rows.filter(received_at__year=form.cleaned_data["year"])
        if form.cleaned_data["node"]:
            node = OrgNode.objects.filter(pk=form.cleaned_data["node"]).first()
            rows = rows.filter(unit__path__startswith=node.path) if node else rows.none()
        if form.cleaned_data["health_care"]:
            rows = rows.filter(health_care=True)
    now = timezone.now()
    if show == "late":
        rows = rows.filter(
            Q(acknowledged_at__isnull=True, acknowledge_due__lt=now)
            | Q(answered_at__isnull=True, answer_due__lt=now),
            status__in=(Status.RECEIVED, Status.ACKNOWLEDGED),
        )
    elif show == "unacknowledged":
        rows = rows.filter(status=Status.RECEIVED)
    elif show != "all":
        rows = rows.filter(status__in=OPEN)
    if kind:
        rows = rows.filter(kind=kind)
    if form.is_valid() and form.cleaned_data["theme"]:
        rows = rows.filter(theme=form.cleaned_data["theme"])
    return form, rows


def held_rows(user):
    return Feedback.objects.visible_to(user, COORDINATE).filter(status=Status.HELD)


@requires(VIEW)
def feedback_list(request):
    form, rows = rows_for(request.user, request.GET)
    rows = rows.select_related("unit", "about", "theme").order_by("-received_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for item in page.object_list:
        item.late = item.is_open and (
            (item.acknowledged_at is None and item.acknowledge_due and item.acknowledge_due < now)
            or (item.answered_at is None and item.answer_due and item.answer_due < now)
        )
    return render(
        request,
        "feedback/list.html",
        {
            "form": form,
            "page": page,
            "may_register": holds(request.user, REGISTER),
            "held": held_rows(request.user).count() if holds(request.user, COORDINATE) else 0,
        },
    )


@requires(COORDINATE)
def held(request):
    rows = held_rows(request.user).select_related("unit").order_by("received_at", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/held.html", {"page": page})


def visible_feedback(request, pk):
    return get_visible_or_404(
        Feedback.objects.select_related("unit", "about", "registered_by", "deviation", "theme"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )


@requires(VIEW)
def detail(request, pk):
    feedback = visible_feedback(request, pk)
    user = request.user
    report = feedback.deviation
    report_url = report.get_absolute_url() if report is not None else ""
    return render(
        request,
        "feedback/detail.html",
        {
            "feedback": feedback,
            "notes": feedback.notes.select_related("author"),
            "steps": feedback.transitions.select_related("actor"),
            "attachments": feedback.attachments.all(),
            "actions": actions_for(feedback).select_related("owner"),
            "may_handle": can(user, HANDLE, feedback),
            # The report's own need-to-know decides whether its reference is a link.
            "report_url": report_url if report and may_open(user, report_url, report) else "",
            "may_coordinate": can(user, COORDINATE, feedback),
            "late_acknowledge": feedback.acknowledged_at is None
            and feedback.acknowledge_due is not None
            and feedback.acknowledge_due < timezone.now(),
            "late_answer": feedback.answered_at is None
            and feedback.answer_due is not None
            and feedback.answer_due < timezone.now(),
        },
    )


@requires(VIEW)
def attachment(request, pk, attachment_pk):
    feedback = visible_feedback(request, pk)
    stored = feedback.attachments.filter(pk=attachment_pk).first()
    if stored is None:
        raise Http404
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)


def registering_units(user):
    return OrgNode.objects.visible_to(user, REGISTER).filter(is_active=True).order_by("name", "pk")


@requires(REGISTER)
def register(request):
    form = RegisterForm(
        request.POST or None, request.FILES or None, units=registering_units(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            feedback, _token = register_feedback(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                fields=form.feedback_fields(),
                attachment=form.cleaned_data.get("attachment"),
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The feedback was registered as %(reference)s.")
                % {"reference": feedback.reference},
            )
            # Staff who register feedback do not read the unit's: they may register another.
            if can(request.user, VIEW, feedback):
                return redirect(feedback)
            return redirect("feedback:register")
    return render(
        request,
        "feedback/register.html",
        {"form": form, "may_view": holds(request.user, VIEW)},
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@requires(HANDLE)
def letter(request, pk, fmt):
    """The answer as a letter (PDF or Word), once there is an answer and a postal address."""
    feedback = visible_feedback(request, pk)
    if not can(request.user, HANDLE, feedback):
        raise PermissionDenied
    if fmt not in ("pdf", "docx") or not feedback.answer or not feedback.contact_address:
        raise Http404
    if fmt == "pdf":
        content, kind = render_letter_pdf(feedback, request.user), "application/pdf"
    else:
        content, kind = render_letter_docx(feedback, request.user), DOCX
    response = HttpResponse(content, content_type=kind)
    name = f"svar-{feedback.reference}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
