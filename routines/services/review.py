"""Review and approval (fastställande) of a version."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can
from audit.services import record_event
from routines.models import VIEW, ReviewComment, Reviewer, VersionState
from routines.services.base import check_move, clean_note, locked_version, move, refresh
from routines.services.rules import approval_authority, holds_authority, may_draft, readers, require


def is_reviewer(user, version):
    return user is not None and version.reviewers.filter(user_id=user.pk).exists()


def may_comment(user, version):
    """Named reviewers, those who write the routine, and its approvers."""
    if version.state != VersionState.REVIEW or user is None:
        return False
    return (
        is_reviewer(user, version)
        or can(user, "routines.draft", version.routine)
        or holds_authority(user, version.routine.unit)
    )


@transaction.atomic
def submit_for_review(version, *, actor, reviewers, note=""):
    """Draft → review, with the named reviewers (people who may read the routine)."""
    locked = locked_version(version)
    routine = locked.routine
    require(may_draft(actor, routine))
    check_move(locked, VersionState.REVIEW)
    reviewers = list({user.pk: user for user in reviewers}.values())
    if not reviewers:
        raise ValidationError({"reviewers": _("Choose at least one reviewer.")}, code="required")
    allowed = set(
        readers(routine.unit).filter(pk__in=[u.pk for u in reviewers]).values_list("pk", flat=True)
    )
    outside = [str(u) for u in reviewers if u.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                "reviewers": _("%(names)s may not read this routine and cannot review it.")
                % {"names": ", ".join(outside)}
            },
            code="reviewer",
        )
    move(
        locked,
        VersionState.REVIEW,
        actor=actor,
        note=clean_note(note),
        verb="routines.submitted",
        reviewers=", ".join(str(u) for u in reviewers),
    )
    now = timezone.now()
    for user in reviewers:
        # A version sent back and submitted again asks its reviewers anew.
        Reviewer.objects.update_or_create(
            version=locked,
            user=user,
            defaults={"requested_by": actor, "requested_at": now, "done_at": None},
        )
    refresh(version, locked)
    return version


@transaction.atomic
def add_comment(version, *, actor, text, done=False, form_token=None):
    """A comment on a version in review; a named reviewer may mark their review as given.
    The same form sent twice gives one comment."""
    if form_token is not None:
        existing = ReviewComment.objects.filter(form_token=form_token).first()
        if existing is not None:
            if existing.author_id != actor.pk:
                raise ValidationError(_("This form has already been used. Open a new form."))
            return existing
    locked = locked_version(version)
    if not can(actor, VIEW, locked.routine):
        require(False)
    if locked.state != VersionState.REVIEW:
        raise ValidationError(_("Comments are given while the version is in review."), code="state")
    require(may_comment(actor, locked))
    text = (text or "").strip()
    if not text and not done:
        raise ValidationError({"text": _("Write your comment.")}, code="required")
    comment = None
    if text:
        try:
            with transaction.atomic():
                comment = ReviewComment.objects.create(
                    version=locked, author=actor, text=text, form_token=form_token
                )
        except IntegrityError:
            existing = ReviewComment.objects.filter(form_token=form_token).first()
            if form_token is None or existing is None:
                raise
            return existing
        record_event(locked.routine, "routines.commented", actor, version=locked.number)
    if done:
        updated = Reviewer.objects.filter(version=locked, user=actor, done_at__isnull=True).update(
            done_at=timezone.now()
        )
        if updated:
            record_event(locked.routine, "routines.review_given", actor, version=locked.number)
    return comment


@transaction.atomic
def send_back(version, *, actor, note):
    """Review → draft (changes needed), or approved → draft (approval revoked before
    publication; the approval is cleared)."""
    locked = locked_version(version)
    routine = locked.routine
    require(may_draft(actor, routine) or holds_authority(actor, routine.unit))
    note = clean_note(note)
    if not note:
        raise ValidationError({"note": _("Say what needs to change.")}, code="required")
    update = []
    if locked.state == VersionState.APPROVED:
        for name in (
            "approved_by",
            "approved_at",
            "board_decided_on",
            "effective_from",
        ):
            setattr(locked, name, None)
        locked.approved_as = locked.board_paragraph = locked.board_registry_number = ""
        update = [
            "approved_by",
            "approved_at",
            "approved_as",
            "board_paragraph",
            "board_registry_number",
            "board_decided_on",
            "effective_from",
        ]
    move(
        locked, VersionState.DRAFT, actor=actor, note=note, verb="routines.sent_back", update=update
    )
    refresh(version, locked)
    return version


@transaction.atomic
def approve(
    version,
    *,
    actor,
    note="",
    board_paragraph="",
    board_registry_number="",
    board_decided_on=None,
):
    """Draft or review → approved, by the role that holds the authority at the routine's
    level (ApprovalAuthority). At a level decided by the board, the board's decision is
    recorded: minutes §, registry number (Dnr) and the date of the decision."""
    locked = locked_version(version)
    check_move(locked, VersionState.APPROVED)
    routine = locked.routine
    authority = approval_authority(routine.unit)
    if authority is None or authority.role_id is None:
        raise ValidationError(
            _("No role is set to approve routines at this level. Ask the administrator."),
            code="authority",
        )
    require(holds_authority(actor, routine.unit, authority))
    approved_as = authority.role.label
    if authority.board_decision:
        board_paragraph = (board_paragraph or "").strip()
        board_registry_number = (board_registry_number or "").strip()
        errors = {}
        if not board_paragraph:
            errors["board_paragraph"] = _("Give the § of the board's minutes.")
        if not board_registry_number:
            errors["board_registry_number"] = _("Give the registry number (Dnr).")
        if board_decided_on is None:
            errors["board_decided_on"] = _("Give the date of the board's decision.")
        elif board_decided_on > timezone.localdate():
            errors["board_decided_on"] = _("The board's decision cannot be in the future.")
        if errors:
            raise ValidationError(errors)
        locked.board_paragraph = board_paragraph
        locked.board_registry_number = board_registry_number
        locked.board_decided_on = board_decided_on
        approved_as = _("%(role)s under the board's decision %(paragraph)s, Dnr %(dnr)s") % {
            "role": approved_as,
            "paragraph": board_paragraph,
            "dnr": board_registry_number,
        }
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    locked.approved_as = approved_as[:120]
    move(
        locked,
        VersionState.APPROVED,
        actor=actor,
        note=clean_note(note),
        verb="routines.approved",
        update=[
            "approved_by",
            "approved_at",
            "approved_as",
            "board_paragraph",
            "board_registry_number",
            "board_decided_on",
        ],
        approved_as=locked.approved_as,
    )
    refresh(version, locked)
    return version
