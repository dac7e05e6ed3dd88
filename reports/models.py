"""The yearly reports written from the registers: the quality report (kvalitetsberättelse,
SOSFS 2011:9 7 kap) and the patient safety report (PSL 3 kap 10 §).

A report covers a part of the organisation (its scope node and everything below it) and a
calendar year. It is written as a draft: its chapters are generated from the registers in the
background (core/chapters.py names who counts what), each with what the regulation asks, the
figures, and a verdict proposed by rules that are data (reports/data/chapters.json), which the
chapter's owner confirms or overrides with a reason.

- writing: queued ──▶ running ──▶ done (or failed), and queued again on request (`GENERATION`);
- stage: draft ──send for review──▶ in review ──approve──▶ approved; in review ──back──▶ draft;
  approved ──new version──▶ draft (`STAGES`). Approval records the board's decision (§, Dnr)
  and keeps a published version: a snapshot of the text and the figures that later changes in
  the registers never alter.

The Word document of a report is written into the organisation's own template where one is
uploaded (`WordTemplate`, the nearest up the tree).
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import InheritedScopeQuerySet, ScopedQuerySet
from notifications.models import ReminderKind

VIEW = "reports.view"
WRITE = "reports.write"


class ReportKind(models.TextChoices):
    QUALITY = "quality", _("Quality report")
    PATIENT_SAFETY = "patient_safety", _("Patient safety report")


class Generation(models.TextChoices):
    QUEUED = "queued", _("Waiting to be written")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Written")
    FAILED = "failed", _("Could not be written")


# (from, to): the only ways the writing of a report may move; services check every change.
GENERATION = {
    (Generation.QUEUED, Generation.RUNNING),
    (Generation.RUNNING, Generation.DONE),
    (Generation.RUNNING, Generation.FAILED),
    (Generation.DONE, Generation.QUEUED),
    (Generation.FAILED, Generation.QUEUED),
}


class Stage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved by the board")


# (from, to): the name of the step. Services check every change against it.
STAGES = {
    (Stage.DRAFT, Stage.IN_REVIEW): "send_for_review",
    (Stage.IN_REVIEW, Stage.DRAFT): "back_to_draft",
    (Stage.IN_REVIEW, Stage.APPROVED): "approve",
    (Stage.APPROVED, Stage.DRAFT): "new_version",
}


class Verdict(models.TextChoices):
    MEETS = "meets", _("Meets the requirements")
    PARTLY = "partly", _("Meets the requirements in part")
    FAILS = "fails", _("Does not meet the requirements")


class ReportQuerySet(ScopedQuerySet):
    def visible_to(self, user, key=None):
        """The reports of the person's part of the organisation, and to read (VIEW) also those
        where they are named author of a chapter: the MAS of the administration writes a chapter
        of the board's report without reading everything the board reads."""
        scoped = super().visible_to(user, key)
        if (key or VIEW) != VIEW or user is None or not user.is_authenticated:
            return scoped
        authored = Chapter.authors.through.objects.filter(
            chapter__report=models.OuterRef("pk"), user_id=user.pk
        )
        return self.filter(models.Q(pk__in=scoped.values("pk")) | models.Q(models.Exists(authored)))


class Report(models.Model):
    scope_lookup = "scope"
    view_permission = VIEW

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    scope = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("part of the organisation"),
        help_text=_("The report covers this part and everything below it."),
    )
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    generation = models.CharField(
        _("writing"), max_length=10, choices=Generation.choices, default=Generation.QUEUED
    )
    chapters_done = models.PositiveIntegerField(default=0)
    chapters_total = models.PositiveIntegerField(default=0)
    generated_at = models.DateTimeField(_("written from the registers"), null=True, blank=True)
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.DRAFT, db_index=True
    )
    failure = models.CharField(max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        ordering = ["-year", "kind", "scope__path"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    def get_scope_node(self):
        return self.scope

    @property
    def is_written(self):
        return self.generation == Generation.DONE

    @property
    def is_open(self):
        """Its text, figures and verdicts may still change (not approved)."""
        return self.stage != Stage.APPROVED


class Chapter(models.Model):
    scope_lookup = "report__scope"
    view_permission = VIEW

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="chapters")
    code = models.CharField(_("chapter"), max_length=20)
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    citation = models.CharField(_("legal reference"), max_length=120, blank=True)
    asks = models.TextField(_("what the regulation asks"), blank=True)
    parts = models.JSONField(default=list, blank=True, editable=False)
    facts = models.JSONField(default=dict, blank=True, editable=False)
    proposed = models.CharField(
        _("proposed verdict"), max_length=10, choices=Verdict.choices, blank=True
    )
    evidence = models.JSONField(default=list, blank=True, editable=False)
    # The owner's judgment: the proposal confirmed, or another verdict with the reason kept.
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, blank=True)
    verdict_reason = models.TextField(_("reason"), blank=True)
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("judged by"),
    )
    verdict_at = models.DateTimeField(_("judged"), null=True, blank=True)
    narrative = models.TextField(_("text"), blank=True)
    # Named authors write the chapter's text; with none named, whoever writes the report does.
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("authors")
    )
    text_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("text last changed by"),
    )
    text_at = models.DateTimeField(_("text last changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="report_chapter_once")
        ]

    def __str__(self):
        return f"{self.report}: {self.title}"

    def get_scope_node(self):
        return self.report.scope

    @property
    def overridden(self):
        """Judged otherwise than the rules proposed (with a reason)."""
        return bool(self.verdict) and self.verdict != self.proposed


class Comment(models.Model):
    """A remark on a chapter from a colleague or a reviewer, for its authors."""

    scope_lookup = "chapter__report__scope"
    view_permission = VIEW

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.chapter}: {self.at:%Y-%m-%d}"

    def get_scope_node(self):
        return self.chapter.report.scope


class PublishedVersion(models.Model):
    """A report as the board approved it: the decision and a snapshot of every chapter (text,
    figures, verdicts), never changed afterwards. A new version of the report may be started
    and approved again; each approval keeps its own."""

    scope_lookup = "report__scope"
    view_permission = VIEW

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    decision_body = models.CharField(_("decided by (board)"), max_length=120)
    decision_date = models.DateField(_("date of the decision"))
    paragraph = models.CharField(_("paragraph (§)"), max_length=40)
    registry_number = models.CharField(_("registry number (Dnr)"), max_length=60)
    snapshot = models.JSONField(editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    published_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_once")
        ]

    def __str__(self):
        return f"{self.report} ({self.number})"

    def get_absolute_url(self):
        return reverse("reports:version", args=[self.report_id, self.number])

    def get_scope_node(self):
        return self.report.scope


def word_template_path(instance, filename):
    # The person's own file name is kept in `name`; on disk a name no one chose.
    extension = filename.rpartition(".")[2].lower()
    return f"reports/word-templates/{instance.node_id}/{uuid.uuid4().hex}.{extension}"


class WordTemplate(models.Model):
    """An organisation's own Word template for the reports of a part of it and everything below
    it: the nearest template up the tree is used (the root node's is the municipality's). The
    report's Word document takes its styles, headers, footers and page settings; its text is
    never used (reports/word.py)."""

    scope_lookup = "node"
    view_permission = WRITE

    node = models.OneToOneField(
        "organisation.OrgNode",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("part of the organisation"),
    )
    file = models.FileField(_("file"), upload_to=word_template_path)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    # A template applies down the tree: who writes a unit's reports sees the ones above it too.
    objects = InheritedScopeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Word template")
        verbose_name_plural = _("Word templates")
        ordering = ["node__path"]

    def __str__(self):
        return f"{self.node}: {self.name}"

    def get_absolute_url(self):
        return reverse("reports:word_template", args=[self.node_id])

    def get_scope_node(self):
        return self.node


class ReportReminder(models.Model):
    """The claim of one reminder of a report's due date (reports/reminders.py): unique, so a
    retry, or a second worker, sends nothing twice."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    about = models.DateField()  # the due date reminded of: a changed date gives new reminders
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder of a yearly report")
        verbose_name_plural = _("reminders of yearly reports")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "about", "recipient"], name="unique_report_reminder"
            )
        ]

    def __str__(self):
        return f"{self.report_id} {self.kind} {self.about} {self.recipient_id}"
