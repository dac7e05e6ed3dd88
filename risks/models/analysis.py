"""A risk analysis (riskanalys): its subject, participants, events and life cycle.

State changes go through risks/services/; the allowed moves are `TRANSITIONS` below. Measures
are actions (actions.Action) whose source is the analysis or one of its events.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from core.transitions import Transition

VIEW = "risks.view"
MANAGE = "risks.manage"


class SubjectKind(models.TextChoices):
    PROCESS = "process", _("A process or activity")
    ORGANISATION_CHANGE = "organisation_change", _("A planned change of organisation")
    STAFFING_CHANGE = "staffing_change", _("A planned change of staffing")
    PREMISES_CHANGE = "premises_change", _("A planned change of premises")
    METHOD_CHANGE = "method_change", _("A planned change of working method")
    TECHNOLOGY = "technology", _("New technology")
    YEARLY = "yearly", _("The board's yearly risk and materiality analysis")
    DEVIATION_PATTERN = "deviation_pattern", _("A pattern in the analysis of deviations")


class Status(models.TextChoices):
    DRAFT = "draft", _("In progress")
    ASSESSED = "assessed", _("Assessed")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


# (from, to) → whether a reason is required. Everything else is refused.
TRANSITIONS = {
    (Status.DRAFT, Status.ASSESSED): False,
    (Status.ASSESSED, Status.DRAFT): True,  # back for more work
    (Status.ASSESSED, Status.DECIDED): False,
    (Status.DECIDED, Status.DRAFT): True,  # reopened, e.g. at its review
    (Status.DECIDED, Status.CLOSED): False,
    (Status.CLOSED, Status.DRAFT): True,  # reopened
}
OPEN_STATUSES = (Status.DRAFT, Status.ASSESSED)
# Events are added and scored while the analysis is worked on.
EDITABLE_STATUSES = (Status.DRAFT,)


def allowed_targets(status):
    return [to for (frm, to) in TRANSITIONS if frm == status]


def needs_reason(frm, to):
    return TRANSITIONS.get((frm, to), False)


class RiskAnalysisQuerySet(ScopedQuerySet):
    def overdue(self, today=None):
        """Decided analyses past their review date."""
        today = today or timezone.localdate()
        return self.filter(status=Status.DECIDED, review_on__lt=today)

    def waiting_for(self, user):
        """Analyses the person is responsible for that are still being worked on."""
        return self.filter(responsible=user, status__in=OPEN_STATUSES)


class RiskAnalysis(models.Model):
    scope_lookup = "unit"
    view_permission = VIEW
    history_hidden_fields = ("origin_type", "origin_id", "form_token")

    title = models.CharField(_("title"), max_length=200)
    subject_kind = models.CharField(_("what is analysed"), max_length=30, choices=SubjectKind)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What is analysed, why now, and what is left out. No names of service users."),
    )
    unit = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="risk_analyses",
        verbose_name=_("unit"),
    )
    process = models.ForeignKey(
        "processes.Process",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risk_analyses",
        verbose_name=_("process"),
    )
    # Where the analysis was started from (an aggregated analysis of deviations, …): named by
    # a generic reference so that risks never imports the app above it.
    origin_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kind of origin"),
    )
    origin_id = models.PositiveBigIntegerField(_("origin id"), null=True, blank=True)
    origin_label = models.CharField(_("started from"), max_length=200, blank=True)
    health_care_in_scope = models.BooleanField(
        _("health care in scope"),
        default=False,
        help_text=_("Health and medical care (HSL) is part of what is analysed."),
    )
    work_environment_in_scope = models.BooleanField(
        _("work environment in scope"),
        default=False,
        help_text=_("The staff's work environment is affected (AFS 2023:1)."),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="risk_analyses",
        verbose_name=_("responsible"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    is_example = models.BooleanField(
        _("example"),
        default=False,
        help_text=_("Seed material: an example for the organisation to edit."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = RiskAnalysisQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk analysis")
        verbose_name_plural = _("risk analyses")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "created_at"]),
            models.Index(fields=["status", "review_on"]),
            models.Index(fields=["responsible", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(origin_type__isnull=True, origin_id__isnull=True)
                | Q(origin_type__isnull=False, origin_id__isnull=False),
                name="risk_analysis_origin_complete",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("risks:detail", args=[self.pk])

    def get_scope_node(self):
        return self.unit

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return (
            self.status == Status.DECIDED and self.review_on is not None and self.review_on < today
        )


class RiskAnalysisTransition(Transition):
    scope_lookup = "analysis__unit"
    view_permission = VIEW

    analysis = models.ForeignKey(RiskAnalysis, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)

    objects = ScopedQuerySet.as_manager()

    class Meta(Transition.Meta):
        verbose_name = _("status change of a risk analysis")
        verbose_name_plural = _("status changes of risk analyses")

    def __str__(self):
        return f"{self.analysis}: {self.from_status} → {self.to_status}"

    def get_scope_node(self):
        return self.analysis.unit


class Participant(models.Model):
    scope_lookup = "analysis__unit"
    view_permission = VIEW

    analysis = models.ForeignKey(
        RiskAnalysis, on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(_("name"), max_length=120)
    function = models.ForeignKey(
        "risks.ParticipantFunction",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("function"),
    )
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["function__order", "name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.function})"

    def get_scope_node(self):
        return self.analysis.unit


class RiskEvent(models.Model):
    """Something that could happen (händelse), scored before and after the measures."""

    scope_lookup = "analysis__unit"
    view_permission = VIEW

    analysis = models.ForeignKey(RiskAnalysis, on_delete=models.CASCADE, related_name="events")
    position = models.PositiveIntegerField(_("number"))
    description = models.CharField(_("what could happen"), max_length=300)
    cause = models.TextField(_("possible causes"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    consequence = models.PositiveSmallIntegerField(_("consequence"))
    value = models.PositiveSmallIntegerField(_("risk value"))
    level = models.CharField(_("risk level"), max_length=30)
    residual_likelihood = models.PositiveSmallIntegerField(
        _("likelihood after the measures"), null=True, blank=True
    )
    residual_consequence = models.PositiveSmallIntegerField(
        _("consequence after the measures"), null=True, blank=True
    )
    residual_value = models.PositiveSmallIntegerField(
        _("risk value after the measures"), null=True, blank=True
    )
    residual_level = models.CharField(_("risk level after the measures"), max_length=30, blank=True)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk event")
        verbose_name_plural = _("risk events")
        ordering = ["analysis", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "position"], name="unique_risk_event_pos"),
        ]

    def __str__(self):
        return f"{self.position}. {self.description}"

    def get_absolute_url(self):
        return reverse("risks:detail", args=[self.analysis_id]) + f"#event-{self.pk}"

    def get_scope_node(self):
        return self.analysis.unit


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the review date")
    DUE = "due", _("At the review date")
    ESCALATION = "escalation", _("Overdue, to the next manager up")


class RiskReminder(models.Model):
    """The claim of one review reminder: unique, so a retry sends nothing twice."""

    analysis = models.ForeignKey(RiskAnalysis, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    about = models.DateField()  # the review date reminded of: a new date gives new reminders
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review reminder of a risk analysis")
        verbose_name_plural = _("review reminders of risk analyses")
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "kind", "about", "recipient"], name="unique_risk_reminder"
            )
        ]

    def __str__(self):
        return f"{self.analysis_id} {self.kind} {self.about} {self.recipient_id}"
