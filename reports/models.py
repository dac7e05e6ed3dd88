"""The yearly reports written from the registers: the quality report (kvalitetsberättelse,
SOSFS 2011:9 7 kap) and the patient safety report (PSL 3 kap 10 §).

A report covers a part of the organisation (its scope node and everything below it) and a
calendar year. It is written as a draft: its chapters are generated from the registers in the
background (core/chapters.py names who counts what), each with what the regulation asks, the
figures, and a verdict proposed by rules that are data (reports/data/chapters.json), which the
chapter's owner confirms or overrides with a reason.

- report: generating ──▶ draft (regenerated on request); generation that fails is shown as such
  and may be started again (`GENERATION`).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet

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


class Verdict(models.TextChoices):
    MEETS = "meets", _("Meets the requirements")
    PARTLY = "partly", _("Meets the requirements in part")
    FAILS = "fails", _("Does not meet the requirements")


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

    objects = ScopedQuerySet.as_manager()

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
