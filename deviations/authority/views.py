"""Authority notifications (IVO, IMY) and information to the people a breach concerns."""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, requires
from core import versioning
from core.forms import add_service_errors
from deviations.authority import packages, services
from deviations.authority.forms import (
    CaseNumberForm,
    ContactForm,
    NotificationContentForm,
    NotNotifyForm,
    SendForm,
)
from deviations.authority.models import AuthorityNotification, NotificationState
from deviations.authority.recipients import rule_for
from deviations.citations import CaseLaw
from deviations.models import Track
from deviations.services import may_change_aware_at

VIEW = "deviations.view"


def _notification(request, pk):
    # visible_to also requires the track's investigation to be readable: 404 for anyone else.
    return get_visible_or_404(
        AuthorityNotification.objects.select_related(
            "track__deviation__unit", "sent_by", "created_by"
        ),
        request.user,
        request=request,
        pk=pk,
    )


@requires(services.KEY)
def notification_new(request, pk):
    """Choose whom to notify; creating the same one twice opens the first."""
    track = get_visible_or_404(
        Track.objects.select_related("deviation__unit"), request.user, request=request, pk=pk
    )
    if not services.may_notify(request.user, track):
        raise PermissionDenied
    if request.method == "POST":
        try:
            notification, created = services.create_notification(
                track, request.POST.get("recipient", ""), actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if created:
                messages.success(request, _("The notification was drafted from the case."))
            return redirect(notification)
    return render(
        request,
        "deviations/notification_new.html",
        {
            "track": track,
            "deviation": track.deviation,
            "options": services.possible_recipients(track),
        },
    )


def _clock_rows(notification):
    now = timezone.now()
    return [
        {
            "clock": c,
            "overdue": c.met_at is None and c.due_at < now,
            "remaining": c.due_at - now if c.met_at is None else None,
        }
        for c in CaseLaw(notification.track.deviation).mark_clocks(
            services.deadline_clocks(notification)
        )
    ]


def _page(request, notification, status=200, **forms):
    track = notification.track
    may = services.may_notify(request.user, track)
    state = notification.state
    rule = rule_for(notification)
    draft = state == NotificationState.DRAFT
    after_sending = notification.is_authority and state in (
        NotificationState.SENT,
        NotificationState.DECIDED,
    )
    context = {
        "notification": notification,
        "track": track,
        "deviation": track.deviation,
        "may_notify": may,
        "sections": packages.display_sections(notification),
        "clock_rows": _clock_rows(notification),
        "law_deadline": services.law_deadline(notification),
        "law_clock": services.law_clock(notification),
        "may_change_aware": draft and may_change_aware_at(request.user, track.deviation),
        "gaps": services.send_gaps(notification) if draft else [],
        "may_decline": rule.may_decline,
        "unavailable": services.unavailable_reason(track, rule) if draft else "",
        "contacts": notification.contacts.select_related("added_by"),
    }
    if may and draft:
        context["content_form"] = forms.get("content_form") or versioning.stamp(
            NotificationContentForm(instance=notification, recipient=notification.recipient)
        )
        context["send_form"] = forms.get("send_form") or SendForm(
            channels=rule.channels,
            with_delay_reason=services.law_deadline(notification) is not None,
            initial={"delay_reason": notification.delay_reason},
        )
        if rule.may_decline:
            context["not_notify_form"] = forms.get("not_notify_form") or NotNotifyForm()
    if may and after_sending:
        context["case_form"] = forms.get("case_form") or CaseNumberForm(
            initial={"registry_number": notification.registry_number}
        )
        if state == NotificationState.SENT:
            context["contact_form"] = forms.get("contact_form") or ContactForm(
                initial={"on": timezone.localdate()}
            )
    context["may_reconsider"] = may and state == NotificationState.NOT_NOTIFIED
    # The page is long: a refused form gets a link at the top to where its errors are.
    anchors = {
        "content_form": "notification-form",
        "send_form": "record-sent",
        "not_notify_form": "record-not-notified",
        "case_form": "case-number-form",
        "contact_form": "contact-form",
    }
    context["error_anchor"] = next(
        (anchors[name] for name, form in forms.items() if form is not None and form.errors), ""
    )
    return render(request, "deviations/notification_detail.html", context, status=status)


@requires(VIEW)
def notification_detail(request, pk):
    """The notification: its clock, content (editable as a draft), sending and what followed."""
    notification = _notification(request, pk)
    if request.method != "POST":
        return _page(request, notification)
    if not services.may_notify(request.user, notification.track):
        raise PermissionDenied
    # The form fills in its instance while validating: give it a copy, the page shows the saved.
    form = versioning.stamp(
        NotificationContentForm(
            request.POST, instance=copy.copy(notification), recipient=notification.recipient
        )
    )
    if form.is_valid():
        try:
            with versioning.guard(form, lambda: _stored_content(notification)):
                services.save_content(notification, actor=request.user, **versioning.values(form))
        except ValidationError as error:
            form.add_error(None, error)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The notification was saved."))
            return redirect(notification)
    return _page(request, notification, status=versioning.status(form), content_form=form)


def _stored_content(notification):
    stored = AuthorityNotification.objects.select_for_update().get(pk=notification.pk)
    return NotificationContentForm(instance=stored, recipient=stored.recipient)


def _record(request, notification, step):
    """Run one recording step; returns (form name, bound form) when its input must be shown."""
    user, rule = request.user, rule_for(notification)
    if step == "reconsider":
        services.reconsider(notification, actor=user)
        return None
    forms = {
        "send": (
            "send_form",
            lambda: SendForm(
                request.POST,
                channels=rule.channels,
                with_delay_reason=services.law_deadline(notification) is not None,
            ),
            lambda d: services.record_sent(notification, actor=user, **d),
        ),
        "not_notify": (
            "not_notify_form",
            lambda: NotNotifyForm(request.POST),
            lambda d: services.record_not_notified(notification, actor=user, **d),
        ),
        "registry_number": (
            "case_form",
            lambda: CaseNumberForm(request.POST),
            lambda d: services.set_registry_number(notification, actor=user, **d),
        ),
        "contact": (
            "contact_form",
            lambda: ContactForm(request.POST),
            lambda d: services.add_contact(notification, actor=user, **d),
        ),
    }
    if step not in forms:
        raise ValidationError(_("Unknown step."), code="unknown")
    name, make, run = forms[step]
    form = make()
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return name, form
        return None
    return name, form


@require_POST
@requires(services.KEY)
def notification_record(request, pk):
    """Record a step: sent, not notified, reconsidered, registry number, a contact."""
    notification = _notification(request, pk)
    if not services.may_notify(request.user, notification.track):
        raise PermissionDenied
    try:
        failed = _record(request, notification, request.POST.get("step", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(notification)
    if failed is not None:
        name, form = failed
        return _page(request, notification, **{name: form})
    messages.success(request, _("The notification was updated."))
    return redirect(notification)


@requires(VIEW)
def notification_package(request, pk, fmt):
    """The package to send: PDF to read and file, Word to edit."""
    if fmt not in packages.FORMATS:
        raise Http404
    notification = _notification(request, pk)
    if fmt == "pdf":
        body = packages.render_pdf_package(notification, request=request)
        content_type = "application/pdf"
    else:
        body = packages.render_docx_package(notification)
        content_type = packages.DOCX_TYPE
    response = HttpResponse(body, content_type=content_type)
    filename = packages.filename_of(notification, fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
