"""The boards' internal control plans (internkontrollplan, kommunallagen 6 kap 6 §).

One plan per board and year (`InternalControlPlan`), its control points (`ControlPoint`, each
chosen from the board's yearly risk- och väsentlighetsanalys with the risk value copied when it
was chosen), their reporting dates (`ReportingDate`) and results (`ControlResult`, one per
reporting date), and the reports to the board (`InternalControlReport`). The plan and each
report are approved by the board with §, Dnr and date: the allowed moves are the tables below
(`PLAN_TRANSITIONS`, `REPORT_TRANSITIONS`); every change goes through internal_control/services/.

Who sees a plan: holders of internal_control.view at the board, above it, or anywhere in its
tree (the administration and the managers below the board read their board's plan).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import InheritedScopeQuerySet
from core.transitions import Transition
from notifications.models import ReminderKind

VIEW = "internal_control.view"
REPORT = "internal_control.report"
MANAGE = "internal_control.manage"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by the board")


# (from, to) → whether a reason is required; everything else is refused. Approving needs the
# board's decision (§, Dnr, date); reopening an approved plan or report needs a reason.
PLAN_TRANSITIONS = {
    (Status.DRAFT, Status.APPROVED): False,
    (Status.APPROVED, Status.DRAFT): True,
}
REPORT_TRANSITIONS = dict(PLAN_TRANSITIONS)


class Frequency(models.TextChoices):
    ONCE = "once", _("Once a year")
    TERTIAL = "tertial", _("Every four months")
    QUARTERLY = "quarterly", _("Every quarter")
    MONTHLY = "monthly", _("Every month")
    CONTINUOUS = "continuous", _("Continuously")


class Outcome(models.TextChoices):
    WITHOUT_REMARK = "without_remark", _("Without remark")
    WITH_REMARK = "with_remark", _("With remark")
    NOT_DONE = "not_done", _("Not carried out")


class Period(models.TextChoices):
    YEAR = "year", _("The whole year")
    TERTIAL_1 = "tertial_1", _("First tertial (January–April)")
    TERTIAL_2 = "tertial_2", _("Second tertial (May–August)")


# The last day of each period, as (month, day).
PERIOD_END = {
    Period.TERTIAL_1: (4, 30),
    Period.TERTIAL_2: (8, 31),
    Period.YEAR: (12, 31),
}


class Decision(models.Model):
    """The board's decision: paragraph in the minutes, diary number and date."""

    decision_paragraph = models.CharField(_("paragraph (§)"), max_length=30, blank=True)
    diary_number = models.CharField(_("diary number (Dnr)"), max_length=60, blank=True)
    decided_on = models.DateField(_("date of the decision"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def decision_text(self):
        if not self.decided_on:
            return ""
        return _("§ %(paragraph)s, Dnr %(dnr)s, %(date)s") % {
            "paragraph": self.decision_paragraph,
            "dnr": self.diary_number,
            "date": self.decided_on.isoformat(),
        }


class PlanQuerySet(InheritedScopeQuerySet):
    pass


class InternalControlPlan(Decision):
    scope_lookup = "board"
    view_permission = VIEW
    history_hidden_fields = ("form_token",)

    board = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="internal_control_plans",
        verbose_name=_("board"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    risk_analysis = models.ForeignKey(
        "risks.RiskAnalysis",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("risk and materiality analysis"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    is_example = models.BooleanField(_("example"), default=False)
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

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("internal control plan")
        verbose_name_plural = _("internal control plans")
        ordering = ["-year", "board__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["board", "year"], name="unique_ic_plan_board_year"),
        ]

    def __str__(self):
        return _("Internal control plan %(year)s, %(board)s") % {
            "year": self.year,
            "board": self.board.name,
        }

    def get_absolute_url(self):
        return reverse("internal_control:detail", args=[self.pk])

    def get_scope_node(self):
        return self.board

    @property
    def is_editable(self):
        return self.status == Status.DRAFT


class PlanTransition(Transition):
    scope_lookup = "plan__board"
    view_permission = VIEW

    plan = models.ForeignKey(
        InternalControlPlan, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    decision = models.CharField(_("decision"), max_length=200, blank=True)

    objects = InheritedScopeQuerySet.as_manager()

    class Meta(Transition.Meta):
        verbose_name = _("status change of an internal control plan")
        verbose_name_plural = _("status changes of internal control plans")

    def __str__(self):
        return f"{self.plan_id}: {self.from_status} → {self.to_status}"


class ControlMethod(models.Model):
    """How a control point is checked (data: internal_control/data/methods.json)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("control method")
        verbose_name_plural = _("control methods")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ControlPoint(models.Model):
    scope_lookup = "plan__board"
    view_permission = VIEW
    history_hidden_fields = ("form_token",)

    plan = models.ForeignKey(
        InternalControlPlan, on_delete=models.CASCADE, related_name="control_points"
    )
    position = models.PositiveIntegerField(_("number"))
    what = models.CharField(_("what is controlled"), max_length=300)
    # Chosen from the yearly analysis: the event, and its description and risk as they were
    # when chosen, so the plan stays as decided when the analysis changes later.
    risk_event = models.ForeignKey(
        "risks.RiskEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("risk"),
    )
    risk_description = models.CharField(_("risk"), max_length=300, blank=True)
    risk_value = models.PositiveSmallIntegerField(_("risk value"), null=True, blank=True)
    risk_level = models.CharField(_("risk level"), max_length=30, blank=True)
    risk_level_label = models.CharField(_("risk level"), max_length=60, blank=True)
    method = models.ForeignKey(
        ControlMethod, on_delete=models.PROTECT, related_name="+", verbose_name=_("method")
    )
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="internal_control_points",
        verbose_name=_("responsible"),
    )
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = InheritedScopeQuerySet.as_manager()

    class Meta:
        verbose_name = _("control point")
        verbose_name_plural = _("control points")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="unique_ic_point_position"),
        ]

    def __str__(self):
        return f"{self.position}. {self.what}"

    def get_absolute_url(self):
        return self.plan.get_absolute_url() + f"#point-{self.pk}"

    def get_scope_node(self):
        return self.plan.board


class ReportingDate(models.Model):
    scope_lookup = "control_point__plan__board"
    view_permission = VIEW

    control_point = models.ForeignKey(
        ControlPoint, on_delete=models.CASCADE, related_name="reporting_dates"
    )
    due_on = models.DateField(_("reporting date"))

    objects = InheritedScopeQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting date")
        verbose_name_plural = _("reporting dates")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["control_point", "due_on"], name="unique_ic_reporting_date"
            ),
        ]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self):
        return f"{self.control_point}: {self.due_on.isoformat()}"

    def get_absolute_url(self):
        return reverse("internal_control:result", args=[self.pk])

    def get_scope_node(self):
        return self.control_point.plan.board


class ControlResult(models.Model):
    scope_lookup = "reporting_date__control_point__plan__board"
    view_permission = VIEW
    history_hidden_fields = ("form_token",)

    reporting_date = models.OneToOneField(
        ReportingDate, on_delete=models.CASCADE, related_name="result"
    )
    outcome = models.CharField(_("result"), max_length=20, choices=Outcome.choices)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = InheritedScopeQuerySet.as_manager()

    class Meta:
        verbose_name = _("control result")
        verbose_name_plural = _("control results")
        ordering = ["reporting_date__due_on", "pk"]

    def __str__(self):
        return _("Result %(date)s: %(what)s") % {
            "date": self.reporting_date.due_on.isoformat(),
            "what": self.reporting_date.control_point.what,
        }

    def get_absolute_url(self):
        return self.reporting_date.control_point.get_absolute_url()

    def get_scope_node(self):
        return self.reporting_date.control_point.plan.board


class InternalControlReport(Decision):
    """The report of the plan's results to the board, for the year or a tertial."""

    scope_lookup = "plan__board"
    view_permission = VIEW
    history_hidden_fields = ("form_token",)

    plan = models.ForeignKey(InternalControlPlan, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(_("period"), max_length=20, choices=Period.choices)
    summary = models.TextField(_("summary and assessment"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = InheritedScopeQuerySet.as_manager()

    class Meta:
        verbose_name = _("report on internal control")
        verbose_name_plural = _("reports on internal control")
        ordering = ["plan", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="unique_ic_report_period"),
        ]

    def __str__(self):
        return _("Report on internal control %(year)s (%(period)s), %(board)s") % {
            "year": self.plan.year,
            "period": self.get_period_display(),
            "board": self.plan.board.name,
        }

    def get_absolute_url(self):
        return reverse("internal_control:report", args=[self.pk])

    def get_scope_node(self):
        return self.plan.board

    @property
    def ends_on(self):
        from datetime import date

        month, day = PERIOD_END[self.period]
        return date(self.plan.year, month, day)


class ReportTransition(Transition):
    scope_lookup = "report__plan__board"
    view_permission = VIEW

    report = models.ForeignKey(
        InternalControlReport, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    decision = models.CharField(_("decision"), max_length=200, blank=True)

    objects = InheritedScopeQuerySet.as_manager()

    class Meta(Transition.Meta):
        verbose_name = _("status change of a report on internal control")
        verbose_name_plural = _("status changes of reports on internal control")

    def __str__(self):
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class ControlReminder(models.Model):
    """The claim of one reminder of a reporting date: unique, so nothing is sent twice."""

    reporting_date = models.ForeignKey(ReportingDate, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder of a reporting date")
        verbose_name_plural = _("reminders of reporting dates")
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_date", "kind", "recipient"], name="unique_ic_reminder"
            )
        ]

    def __str__(self):
        return f"{self.reporting_date_id} {self.kind} {self.recipient_id}"
