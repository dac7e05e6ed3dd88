"""One register of actions (åtgärder) for every source: the unit's balanslista.

An action says what is to be done, by whom and by when, and later whether it had the intended
effect. It may come from a deviation, a complaint, a risk analysis, a self-inspection or a
quality council (`source`), or stand on its own. State changes go through actions/services.py;
the allowed moves are the table `TRANSITIONS` below.

Need-to-know: an action follows the rule of its source (accounts/need_to_know.py). An action
made in a lex Sarah or lex Maria investigation is seen only by those who may read that track,
in every list, export, history, inbox and form. The one exception is its owner: the action was
given to them by someone who could read the track, and they must be able to do the work, so
they see the action, change its status and record its effect check, but never where it comes
from (no source label, no link, not in the assignment e-mail). Editing, reassigning and
follow-ups stay with the readers of the source.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.need_to_know import hidden_q
from accounts.scoping import ScopedQuerySet, scope_q
from core.transitions import Transition

VIEW = "actions.view"
MANAGE = "actions.manage"


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done, effect not yet checked")
    EFFECT_CHECKED = "effect_checked", _("Effect checked")
    CANCELLED = "cancelled", _("Cancelled")


class EffectOutcome(models.TextChoices):
    YES = "yes", _("Yes, the intended effect")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No, not the intended effect")


# (from, to) → whether a reason is required. Everything else is refused.
TRANSITIONS = {
    (Status.PLANNED, Status.IN_PROGRESS): False,
    (Status.IN_PROGRESS, Status.DONE): False,
    (Status.DONE, Status.EFFECT_CHECKED): False,
    (Status.PLANNED, Status.CANCELLED): True,
    (Status.IN_PROGRESS, Status.CANCELLED): True,
    (Status.DONE, Status.IN_PROGRESS): True,  # reopened
}
# Reached only by recording the effect check (it needs a date, a result and an outcome).
EFFECT_CHECK_ONLY = {Status.EFFECT_CHECKED}
OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS, Status.DONE)
CLOSED_STATUSES = (Status.EFFECT_CHECKED, Status.CANCELLED)


def allowed_targets(status):
    """The statuses one may move an action to by hand from `status` (the effect check aside)."""
    return [to for (frm, to) in TRANSITIONS if frm == status and to not in EFFECT_CHECK_ONLY]


def needs_reason(frm, to):
    return TRANSITIONS.get((frm, to), False)


class ActionQuerySet(ScopedQuerySet):
    def visible_to(self, user, key=None):
        """Actions of units within the person's scope for `key` whose source the person may
        read; with the view key (the default) also the person's own actions, wherever they lie
        and whatever their source."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        key = key or VIEW
        q = scope_q(user, key, self.model.scope_lookup)
        hidden = hidden_q(self.model, user)
        if hidden is not None:
            q &= ~hidden
        if key == VIEW:
            q |= Q(owner=user)
        return self.filter(q)

    def with_source_hidden(self, user):
        """Mark each row `source_hidden`: its source is one the person may not read (only
        their own actions can be such rows), so its label is not shown."""
        hidden = hidden_q(self.model, user)
        # Asked of the person's own rows only: the others are already filtered by the source.
        expression = Q(owner=user) & hidden if hidden is not None else Value(False)
        return self.annotate(
            source_hidden=ExpressionWrapper(expression, output_field=BooleanField())
        )

    def for_source(self, source):
        return self.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        )

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        """Not done by the due date, or done but the effect check is past its planned date."""
        today = today or timezone.localdate()
        return self.filter(
            Q(status__in=(Status.PLANNED, Status.IN_PROGRESS), due_date__lt=today)
            | Q(status=Status.DONE, planned_effect_check_date__lt=today)
        )


class Action(models.Model):
    scope_lookup = "unit"
    view_permission = VIEW
    # Readable only by those who may read the source (accounts/need_to_know.py).
    derived_from = "source"
    # Raw ids of the generic relations: the labels beside them are what a reader needs.
    # The source's label is shown on the page to those who may read the source, never in the
    # history, which its owner may read.
    history_hidden_fields = (
        "source_type",
        "source_id",
        "source_label",
        "evidence_type",
        "evidence_id",
    )

    # Where the action comes from (a deviation, a risk analysis, …); empty for a free-standing
    # action. The label is copied at creation so the list needs no lookup per row.
    source_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kind of source"),
    )
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_("source"), max_length=200, blank=True)
    follow_up_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        verbose_name=_("follow-up of"),
    )

    unit = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("responsible unit"),
    )
    title = models.CharField(_("what is to be done"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_actions",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    # "Completed by this object", e.g. the routine version that completed a revision.
    evidence_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kind of evidence"),
    )
    evidence_id = models.PositiveBigIntegerField(_("evidence id"), null=True, blank=True)
    evidence = GenericForeignKey("evidence_type", "evidence_id")
    evidence_label = models.CharField(_("completed by"), max_length=200, blank=True)

    planned_effect_check_date = models.DateField(_("planned effect check"), null=True, blank=True)
    effect_checked_at = models.DateField(_("effect checked on"), null=True, blank=True)
    effect_result = models.TextField(_("result of the effect check"), blank=True)
    effect_ok = models.CharField(
        _("intended effect reached"), max_length=10, choices=EffectOutcome.choices, blank=True
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    # One per filled-in form: the same form sent twice creates one action.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["source_type", "source_id"]),
            # The measures of one kind of source in a subtree (risk statistics): by unit.
            models.Index(fields=["source_type", "unit"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["owner", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="action_source_complete",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actions:detail", args=[self.pk])

    def get_scope_node(self):
        return self.unit

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_closed(self):
        return self.status in CLOSED_STATUSES

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        if self.status in (Status.PLANNED, Status.IN_PROGRESS):
            return self.due_date < today
        return self.is_effect_check_overdue(today)

    def is_effect_check_overdue(self, today=None):
        today = today or timezone.localdate()
        return (
            self.status == Status.DONE
            and self.planned_effect_check_date is not None
            and self.planned_effect_check_date < today
        )

    @property
    def overdue(self):
        return self.is_overdue()

    @property
    def effect_check_overdue(self):
        return self.is_effect_check_overdue()


class ActionTransitionQuerySet(ScopedQuerySet):
    def visible_to(self, user, key=None):
        """The status changes of the actions the person may see."""
        return self.filter(action__in=Action.objects.visible_to(user, key).values("pk"))


class ActionTransition(Transition):
    """One move of an action from one status to another: who, when, and why."""

    scope_lookup = "action__unit"
    view_permission = VIEW

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("action")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)

    objects = ActionTransitionQuerySet.as_manager()

    class Meta(Transition.Meta):
        verbose_name = _("status change of an action")
        verbose_name_plural = _("status changes of actions")

    def __str__(self):
        return f"{self.action}: {self.get_from_status_display()} → {self.get_to_status_display()}"

    def get_scope_node(self):
        return self.action.unit
