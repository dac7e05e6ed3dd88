"""The chapter owner's judgment of a chapter: the verdict the rules proposed confirmed, or
another one with the reason, which is kept and shown beside the proposal and its evidence."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can
from audit.services import record_event
from reports.models import WRITE, Chapter, Verdict
from reports.services.decision import require_open


@transaction.atomic
def judge(chapter, *, actor, verdict, reason=""):
    locked = Chapter.objects.select_for_update().select_related("report").get(pk=chapter.pk)
    if not can(actor, WRITE, locked.report):
        raise PermissionDenied
    require_open(locked.report)
    if not locked.report.is_written:
        raise ValidationError(_("Wait until the report has been written."), code="state")
    reason = (reason or "").strip()
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Choose a verdict.")}, code="required")
    if verdict != locked.proposed and not reason:
        raise ValidationError(
            {"reason": _("Say why the verdict differs from the proposal.")}, code="required"
        )
    locked.verdict = verdict
    locked.verdict_reason = reason
    locked.verdict_by = actor
    locked.verdict_at = timezone.now()
    locked.save(update_fields=["verdict", "verdict_reason", "verdict_by", "verdict_at"])
    record_event(
        locked.report,
        "report.overridden" if locked.overridden else "report.confirmed",
        actor,
        chapter=locked.title,
        verdict=Verdict(verdict).label,
    )
    return locked
