"""From draft to the board's decision: sent for review, back to the draft, approved by the
board with its paragraph (§) and registry number (Dnr), which keeps a published version that
later changes in the registers never alter; a new version may be started from an approved one.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.scoping import can
from audit.services import record_event
from core.decisions import clean_decision
from reports.models import STAGES, WRITE, PublishedVersion, Report, Stage

CHAPTER_FIELDS = (
    "code",
    "title",
    "citation",
    "asks",
    "parts",
    "proposed",
    "evidence",
    "verdict",
    "verdict_reason",
    "narrative",
)


def _locked(report, actor):
    locked = Report.objects.select_for_update().select_related("scope").get(pk=report.pk)
    if not can(actor, WRITE, locked):
        raise PermissionDenied
    return locked


def _move(report, to, actor, **params):
    step = STAGES.get((report.stage, to))
    if step is None:
        raise ValidationError(
            _("This cannot be done now: the report is “%(stage)s”.")
            % {"stage": report.get_stage_display()},
            code="stage",
        )
    report.stage = to
    report.save(update_fields=["stage"])
    record_event(report, f"report.{step}", actor, **params)


@transaction.atomic
def send_for_review(report, *, actor):
    locked = _locked(report, actor)
    if not locked.is_written:
        raise ValidationError(_("Wait until the report has been written."), code="state")
    _move(locked, Stage.IN_REVIEW, actor)
    return locked


@transaction.atomic
def back_to_draft(report, *, actor, reason=""):
    locked = _locked(report, actor)
    _move(locked, Stage.DRAFT, actor, reason=(reason or "").strip() or "–")
    return locked


def snapshot(report):
    """The report as it stands: what a published version keeps."""
    return {
        "title": report.title,
        "kind": report.kind,
        "year": report.year,
        "scope": report.scope.name,
        "generated_at": report.generated_at.isoformat() if report.generated_at else "",
        "chapters": [
            {name: getattr(chapter, name) for name in CHAPTER_FIELDS}
            for chapter in report.chapters.order_by("order")
        ],
    }


@transaction.atomic
def approve(report, *, actor, decision_body, decision_date, paragraph, registry_number):
    """Record the board's decision; the report is locked and a published version kept."""
    locked = _locked(report, actor)
    decision = clean_decision(
        decision_body=decision_body,
        decision_date=decision_date,
        paragraph=paragraph,
        registry_number=registry_number,
    )
    _move(
        locked,
        Stage.APPROVED,
        actor,
        body=decision["decision_body"],
        paragraph=f"§ {decision['paragraph']}",
        registry_number=decision["registry_number"],
    )
    number = (locked.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return PublishedVersion.objects.create(
        report=locked, number=number, snapshot=snapshot(locked), published_by=actor, **decision
    )


@transaction.atomic
def new_version(report, *, actor):
    """Start a new version from the approved one: the text and verdicts stay, and may change
    again; the published version does not."""
    locked = _locked(report, actor)
    _move(locked, Stage.DRAFT, actor)
    return locked


def require_open(report):
    """Text, figures and verdicts change only until the board has approved the report."""
    if not report.is_open:
        raise ValidationError(
            _("The board has approved the report: start a new version to change it."),
            code="approved",
        )
