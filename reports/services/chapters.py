"""Writing a report together: the report's writers name the authors of each chapter; an author
writes the chapter's text (with no author named, whoever writes the report does), each in their
own chapter, so no one overwrites another's; a colleague comments. A change made meanwhile to
the same chapter is shown to the second writer, not lost (core/versioning.py in the view)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping import can
from audit.services import record_event
from core.once import earlier_send, save_once
from reports.models import VIEW, WRITE, Chapter, Comment, Report
from reports.services.decision import require_open


def may_read(user, report):
    """Whether the person may read the report: `Report.objects.visible_to`'s rule (their part
    of the organisation, or named author of one of its chapters)."""
    return Report.objects.visible_to(user, VIEW).filter(pk=report.pk).exists()


def may_write_text(user, chapter):
    authors = list(chapter.authors.all())
    if authors:
        return user in authors and possible_authors(chapter.report).filter(pk=user.pk).exists()
    return can(user, WRITE, chapter.report)


def possible_authors(report):
    """Who may be named an author: the active people who hold `reports.view` in the report's
    part of the organisation, at its top, above it over the units below, or at a unit within it
    (the MAS of the administration writes a chapter of the board's report; being named, they
    may read the report)."""
    from accounts.models import RoleAssignment

    scope = report.scope
    holding = (
        RoleAssignment.objects.active()
        .filter(role__permissions__key=VIEW, user__is_active=True, node__is_active=True)
        .filter(
            Q(node__path__startswith=scope.path)
            | Q(node_id__in=scope.ancestor_ids()[:-1], include_subtree=True)
        )
        .values("user_id")
    )
    return User.objects.filter(pk__in=holding).order_by("first_name", "last_name", "username")


def _locked(chapter):
    return Chapter.objects.select_for_update().select_related("report").get(pk=chapter.pk)


@transaction.atomic
def set_authors(chapter, *, actor, authors):
    locked = _locked(chapter)
    if not can(actor, WRITE, locked.report):
        raise PermissionDenied
    require_open(locked.report)
    allowed = set(possible_authors(locked.report).values_list("pk", flat=True))
    if any(author.pk not in allowed for author in authors):
        raise ValidationError(
            {"authors": _("An author must be someone who may read this report.")},
            code="invalid",
        )
    locked.authors.set(authors)
    names = ", ".join(sorted(a.get_full_name() or a.username for a in authors)) or "–"
    record_event(locked.report, "report.authors_set", actor, chapter=locked.title, names=names)
    return locked


@transaction.atomic
def write_text(chapter, *, actor, narrative):
    locked = _locked(chapter)
    if not may_write_text(actor, locked):
        raise PermissionDenied
    require_open(locked.report)
    locked.narrative = (narrative or "").strip()
    locked.text_by = actor
    locked.text_at = timezone.now()
    locked.save(update_fields=["narrative", "text_by", "text_at"])
    record_event(locked.report, "report.text_written", actor, chapter=locked.title)
    return locked


@transaction.atomic
def comment(chapter, *, actor, text, form_token=None):
    existing = earlier_send(Comment, form_token)
    if existing is not None:
        return existing
    if not may_read(actor, chapter.report):
        raise PermissionDenied
    require_open(chapter.report)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")}, code="required")
    made = save_once(
        Comment(chapter=chapter, text=text, author=actor, form_token=form_token), form_token
    )
    if made.just_created:
        record_event(chapter.report, "report.commented", actor, chapter=chapter.title)
    return made
