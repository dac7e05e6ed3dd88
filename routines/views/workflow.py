"""Writing, review, approval and publication of versions; each view calls one service.

A page whose version has meanwhile moved on (another person, a form sent twice) redirects to
the version with a note of its state instead of failing: the second submit changes nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import requires
from core import versioning
from core.forms import add_service_errors
from routines.forms import (
    ApproveForm,
    CommentForm,
    DraftForm,
    NoteForm,
    PublishForm,
    SubmitForm,
    WithdrawForm,
)
from routines.models import DRAFT, VIEW, BodyFormat, Routine, RoutineVersion, VersionState
from routines.services.base import OPEN_STATES, body_text
from routines.services.draft import update_draft
from routines.services.publish import publish as publish_version
from routines.services.publish import withdraw as withdraw_version
from routines.services.review import add_comment, may_comment, submit_for_review
from routines.services.review import approve as approve_version
from routines.services.review import send_back as send_version_back
from routines.services.rules import (
    approval_authority,
    holds_authority,
    may_draft,
    may_publish,
    readers,
)
from routines.views.visibility import visible_version

EDIT_FIELDS = (
    "title",
    "owner",
    "roles",
    "legal_sections",
    "review_interval_months",
    "requires_acknowledgment",
)


def _moved_on(request, version):
    messages.info(
        request,
        _("Version %(number)s is now “%(state)s”.")
        % {"number": version.number, "state": version.get_state_display()},
    )
    return redirect(version)


def _allowed(user, version):
    """What the person may do with the version now."""
    routine = version.routine
    state = version.state
    drafter = may_draft(user, routine)
    approver = holds_authority(user, routine.unit)
    return {
        "edit": state == VersionState.DRAFT and drafter,
        "submit": state == VersionState.DRAFT and drafter,
        "send_back": state in (VersionState.REVIEW, VersionState.APPROVED)
        and (drafter or approver),
        "approve": state in (VersionState.DRAFT, VersionState.REVIEW) and approver,
        "publish": state == VersionState.APPROVED and may_publish(user, routine),
        "withdraw": (state == VersionState.PUBLISHED and may_publish(user, routine))
        or (state in (VersionState.DRAFT, VersionState.REVIEW) and drafter),
        "comment": may_comment(user, version),
    }


def render_version(request, version, comment_form=None, send_back_form=None, status=200):
    user = request.user
    allowed = _allowed(user, version)
    previous = (
        version.routine.versions.filter(number__lt=version.number)
        .exclude(state__in=OPEN_STATES)
        .order_by("-number")
        .first()
    )
    reviewers = list(version.reviewers.select_related("user"))
    my_review_open = any(r.user_id == user.pk and not r.done_at for r in reviewers)
    if allowed["comment"]:
        comment_form = comment_form or CommentForm()
        if not my_review_open:
            # Only a named reviewer with a review still to give marks it as done.
            comment_form.fields.pop("done", None)
    return render(
        request,
        "routines/version.html",
        {
            "routine": version.routine,
            "version": version,
            "allowed": allowed,
            "transitions": version.transitions.select_related("actor"),
            "reviewers": reviewers,
            "my_review_open": my_review_open,
            "comments": version.comments.select_related("author"),
            "comment_form": comment_form if allowed["comment"] else None,
            "send_back_form": (send_back_form or NoteForm()) if allowed["send_back"] else None,
            "previous": previous,
            "is_file": version.body_format == BodyFormat.FILE,
            "document_text": body_text(version) if version.body_format == BodyFormat.FILE else "",
        },
        status=status,
    )


@requires(VIEW)
def version_page(request, pk):
    return render_version(request, visible_version(request, pk))


@requires(DRAFT)
def edit(request, pk):
    version = visible_version(request, pk)
    routine = version.routine
    if not may_draft(request.user, routine):
        raise PermissionDenied
    if version.state != VersionState.DRAFT:
        return _moved_on(request, version)
    form = versioning.stamp(
        _draft_form(version, request.user, request.POST or None, request.FILES or None),
        {"file": version.file_name},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with versioning.guard(form, lambda: _stored_draft(version, request.user)):
                changed = update_draft(
                    version,
                    actor=request.user,
                    body=data["body"] if not data.get("file") else None,
                    file=data.get("file"),
                    change_summary=data["change_summary"],
                    **{name: data[name] for name in EDIT_FIELDS},
                )
        except ValidationError as error:
            add_service_errors(form, error)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            if changed:
                messages.success(request, _("The draft was saved."))
            return redirect(version)
    return render(
        request,
        "routines/edit.html",
        {"form": form, "version": version, "routine": routine},
        status=versioning.status(form),
    )


def _draft_form(version, actor, data=None, files=None):
    routine = version.routine
    initial = {name: getattr(routine, name) for name in EDIT_FIELDS}
    initial["roles"] = list(routine.roles.all())
    initial["legal_sections"] = list(routine.legal_sections.all())
    initial["body"] = version.body
    initial["change_summary"] = version.change_summary
    return DraftForm(data, files, initial=initial, actor=actor, routine=routine)


def _stored_draft(version, actor):
    """Inside the save, in the services' lock order: the routine, then the version."""
    routine = Routine.objects.select_for_update(of=("self",)).get(pk=version.routine_id)
    stored = RoutineVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    stored.routine = routine
    return _draft_form(stored, actor), {"file": stored.file_name}


@requires(DRAFT)
def submit(request, pk):
    version = visible_version(request, pk)
    if not may_draft(request.user, version.routine):
        raise PermissionDenied
    if version.state != VersionState.DRAFT:
        return _moved_on(request, version)
    form = SubmitForm(request.POST or None, candidates=readers(version.routine.unit))
    if request.method == "POST" and form.is_valid():
        try:
            submit_for_review(
                version,
                actor=request.user,
                reviewers=form.cleaned_data["reviewers"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The version was sent for review."))
            return redirect(version)
    return render(
        request,
        "routines/step.html",
        {"form": form, "version": version, "routine": version.routine, "step": "submit"},
    )


@requires(VIEW)
@require_POST
def comment(request, pk):
    version = visible_version(request, pk)
    if version.state != VersionState.REVIEW:
        return _moved_on(request, version)
    if not may_comment(request.user, version):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            add_comment(
                version,
                actor=request.user,
                text=data["text"],
                done=data["done"],
                form_token=data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your comment was saved."))
            return redirect(version)
    return render_version(request, version, comment_form=form, status=400)


@requires(VIEW)
@require_POST
def send_back(request, pk):
    version = visible_version(request, pk)
    if not _allowed(request.user, version)["send_back"]:
        if version.state not in (VersionState.REVIEW, VersionState.APPROVED):
            return _moved_on(request, version)
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            send_version_back(version, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The version is a draft again."))
            return redirect(version)
    return render_version(request, version, send_back_form=form, status=400)


@requires("routines.approve")
def approve(request, pk):
    version = visible_version(request, pk)
    routine = version.routine
    if not holds_authority(request.user, routine.unit):
        raise PermissionDenied
    if version.state not in (VersionState.DRAFT, VersionState.REVIEW):
        return _moved_on(request, version)
    authority = approval_authority(routine.unit)
    board = bool(authority and authority.board_decision)
    form = ApproveForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            approve_version(
                version,
                actor=request.user,
                note=data["note"],
                board_paragraph=data.get("board_paragraph", ""),
                board_registry_number=data.get("board_registry_number", ""),
                board_decided_on=data.get("board_decided_on"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The version was approved. Publish it when it is to apply.")
            )
            return redirect(version)
    open_reviews = version.reviewers.filter(done_at__isnull=True).select_related("user")
    return render(
        request,
        "routines/step.html",
        {
            "form": form,
            "version": version,
            "routine": routine,
            "step": "approve",
            "board": board,
            "open_reviews": open_reviews,
        },
    )


@requires(VIEW)
def publish(request, pk):
    version = visible_version(request, pk)
    if not may_publish(request.user, version.routine):
        raise PermissionDenied
    if version.state != VersionState.APPROVED:
        return _moved_on(request, version)
    initial = {"effective_from": version.effective_from} if version.effective_from else None
    form = PublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            publish_version(
                version, actor=request.user, effective_from=form.cleaned_data["effective_from"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if version.state == VersionState.PUBLISHED:
                messages.success(request, _("The version is published and applies from today."))
            else:
                messages.success(
                    request,
                    _("The version will be published on %(day)s.")
                    % {"day": version.effective_from.isoformat()},
                )
            return redirect(version)
    return render(
        request,
        "routines/step.html",
        {"form": form, "version": version, "routine": version.routine, "step": "publish"},
    )


@requires(VIEW)
def withdraw(request, pk):
    version = visible_version(request, pk)
    if not _allowed(request.user, version)["withdraw"]:
        if version.state in (VersionState.PUBLISHED, VersionState.DRAFT, VersionState.REVIEW):
            raise PermissionDenied
        return _moved_on(request, version)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_version(version, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The version was withdrawn."))
            return redirect(version)
    return render(
        request,
        "routines/step.html",
        {"form": form, "version": version, "routine": version.routine, "step": "withdraw"},
    )
