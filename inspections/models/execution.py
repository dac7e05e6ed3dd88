"""An execution of a checklist, its answers, sample and findings, and effect follow-ups.

Life cycles (explicit tables; the services refuse every other move):

- execution: draft ──complete──▶ completed (`EXECUTION_TRANSITIONS`);
- finding: open ──▶ action made | closed with a reason (`FINDING_TRANSITIONS`).

On completion the execution keeps its counts of ja / delvis / nej / ej aktuellt, so compliance
over many executions is a sum of four columns, never a read of every answer.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from core.transitions import Transition
from inspections.models.checklist import VIEW


class Reply(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


class ExecutionState(models.TextChoices):
    DRAFT = "draft", _("Being carried out")
    COMPLETED = "completed", _("Completed")


EXECUTION_TRANSITIONS = {(ExecutionState.DRAFT, ExecutionState.COMPLETED)}


class FindingState(models.TextChoices):
    OPEN = "open", _("Open")
    ACTION = "action", _("Action made")
    CLOSED = "closed", _("Closed with a reason")


# (from, to) → whether a reason is required.
FINDING_TRANSITIONS = {
    (FindingState.OPEN, FindingState.ACTION): False,
    (FindingState.OPEN, FindingState.CLOSED): True,
}


class Execution(models.Model):
    scope_lookup = "unit"
    view_permission = VIEW

    unit = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="inspection_executions",
        verbose_name=_("unit"),
    )
    template = models.ForeignKey(
        "inspections.ChecklistTemplate",
        on_delete=models.PROTECT,
        related_name="executions",
        verbose_name=_("checklist"),
    )
    occasion = models.ForeignKey(
        "inspections.Occasion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="executions",
        verbose_name=_("occasion"),
    )
    performed_on = models.DateField(_("carried out on"))
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("carried out by"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ExecutionState.choices, default=ExecutionState.DRAFT
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # Kept on completion: compliance reads these sums.
    n_yes = models.PositiveIntegerField(default=0)
    n_partly = models.PositiveIntegerField(default=0)
    n_no = models.PositiveIntegerField(default=0)
    n_na = models.PositiveIntegerField(default=0)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-inspection")
        verbose_name_plural = _("self-inspections")
        ordering = ["-performed_on", "-pk"]
        indexes = [models.Index(fields=["state", "performed_on"])]

    def __str__(self):
        return _("%(title)s, %(unit)s, %(date)s") % {
            "title": self.template.title,
            "unit": self.unit.name,
            "date": self.performed_on.strftime("%Y-%m-%d"),
        }

    def get_absolute_url(self):
        return reverse("inspections:execution", args=[self.pk])

    def get_scope_node(self):
        return self.unit

    @property
    def is_draft(self):
        return self.state == ExecutionState.DRAFT


class ExecutionTransition(Transition):
    scope_lookup = "execution__unit"
    view_permission = VIEW

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=10, choices=ExecutionState.choices)
    to_state = models.CharField(max_length=10, choices=ExecutionState.choices)

    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return f"{self.execution}: {self.from_state} → {self.to_state}"

    def get_scope_node(self):
        return self.execution.unit


class Answer(models.Model):
    scope_lookup = "execution__unit"
    view_permission = VIEW

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "inspections.Question", on_delete=models.PROTECT, related_name="answers"
    )
    reply = models.CharField(_("answer"), max_length=8, choices=Reply.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["execution", "question"], name="answer_once")
        ]
        indexes = [models.Index(fields=["question", "reply"])]

    def __str__(self):
        return f"{self.question}: {self.get_reply_display()}"

    def get_scope_node(self):
        return self.execution.unit


class Sample(models.Model):
    """The records drawn for a record review: the list given, the seed and what was drawn.
    The same list and seed always draw the same records (services/sample.py)."""

    scope_lookup = "execution__unit"
    view_permission = VIEW

    execution = models.OneToOneField(Execution, on_delete=models.CASCADE, related_name="sample")
    population = models.JSONField(_("records to draw from"), default=list)
    size = models.PositiveSmallIntegerField(_("sample size"))
    seed = models.BigIntegerField(_("seed"))
    drawn = models.JSONField(_("records drawn"), default=list)
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")

    def __str__(self):
        return f"{self.execution}: {len(self.drawn)}"

    def get_scope_node(self):
        return self.execution.unit


class Finding(models.Model):
    scope_lookup = "execution__unit"
    view_permission = VIEW

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="findings")
    question = models.ForeignKey(
        "inspections.Question",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("question"),
    )
    description = models.TextField(_("finding"))
    state = models.CharField(
        _("state"), max_length=10, choices=FindingState.choices, default=FindingState.OPEN
    )
    closed_reason = models.TextField(_("reason for closing"), blank=True)
    action = models.ForeignKey(
        "actions.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("action"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding of a self-inspection")
        verbose_name_plural = _("findings of self-inspections")
        ordering = ["pk"]

    def __str__(self):
        text = " ".join(self.description.split())
        return _("Finding: %(text)s") % {"text": text[:150]}

    def get_absolute_url(self):
        return reverse("inspections:execution", args=[self.execution_id]) + f"#finding-{self.pk}"

    def get_scope_node(self):
        return self.execution.unit


class FindingTransition(Transition):
    scope_lookup = "finding__execution__unit"
    view_permission = VIEW

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=10, choices=FindingState.choices)
    to_state = models.CharField(max_length=10, choices=FindingState.choices)

    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return f"{self.finding}: {self.from_state} → {self.to_state}"

    def get_scope_node(self):
        return self.finding.execution.unit


class EffectFollowUp(models.Model):
    """An action's effect check handed to self-inspection: the next completed execution in
    `unit` that answers `question` (or a local copy of it) records the effect."""

    scope_lookup = "unit"
    view_permission = VIEW

    action = models.OneToOneField(
        "actions.Action", on_delete=models.CASCADE, related_name="inspection_follow_up"
    )
    unit = models.ForeignKey("organisation.OrgNode", on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(
        "inspections.Question", on_delete=models.PROTECT, related_name="follow_ups"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    execution = models.ForeignKey(
        Execution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply = models.CharField(max_length=8, choices=Reply.choices, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("effect follow-up in self-inspection")
        verbose_name_plural = _("effect follow-ups in self-inspection")

    def __str__(self):
        return f"{self.action}: {self.question}"

    def get_scope_node(self):
        return self.unit
