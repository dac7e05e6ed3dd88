"""Routines (rutiner) as controlled documents: a routine, its versions and their approval.

A routine belongs to an org node and applies to that node and every node below it. Its text
lives in versions; exactly one version at a time is published (the routine's `current_version`),
older ones stay readable as history. A version moves through the states of `VersionState`, only
along `VERSION_TRANSITIONS` (routines/services/), each move stored as a `VersionTransition`.
Who may approve at which level is data: `ApprovalAuthority` (seeded from routines/data).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import InheritedScopeQuerySet, ScopedQuerySet

VIEW = "routines.view"
DRAFT = "routines.draft"


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    APPROVED = "approved", _("Approved, not yet published")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# (from, to): the moves a version may make. Publishing a version supersedes the one published
# before it (a service step, not a hand move). Everything else is refused.
VERSION_TRANSITIONS = {
    (VersionState.DRAFT, VersionState.REVIEW),
    (VersionState.REVIEW, VersionState.DRAFT),  # sent back for changes
    (VersionState.DRAFT, VersionState.APPROVED),  # approved without a review round
    (VersionState.REVIEW, VersionState.APPROVED),
    (VersionState.APPROVED, VersionState.PUBLISHED),
    (VersionState.APPROVED, VersionState.DRAFT),  # approval revoked before publication
    (VersionState.PUBLISHED, VersionState.SUPERSEDED),
    (VersionState.PUBLISHED, VersionState.WITHDRAWN),
    (VersionState.DRAFT, VersionState.WITHDRAWN),  # a draft abandoned
    (VersionState.REVIEW, VersionState.WITHDRAWN),
}
EDITABLE_STATES = (VersionState.DRAFT,)
HISTORY_STATES = (VersionState.SUPERSEDED, VersionState.WITHDRAWN)


class BodyFormat(models.TextChoices):
    TEXT = "text", _("Written in Hjulet")
    FILE = "file", _("Uploaded document (PDF or Word)")


class ApprovalAuthority(models.Model):
    """Which role approves (fastställer) routines of a given level of the tree.

    Seeded from routines/data/approval.json (unit → enhetschef, department → avdelningschef,
    administration → förvaltningschef, board → a recorded board decision); edited by an
    administrator when an organisation delegates differently.
    """

    node_kind = models.CharField(_("level"), max_length=20, unique=True)
    role = models.ForeignKey(
        "accounts.Role",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approving role"),
    )
    board_decision = models.BooleanField(
        _("decided by the board"),
        default=False,
        help_text=_("The approval records the board's decision (§ and registry number)."),
    )

    class Meta:
        verbose_name = _("approval authority")
        verbose_name_plural = _("approval authorities")
        ordering = ["node_kind"]

    def __str__(self):
        return self.node_kind

    def get_scope_node(self):
        return None


class RoutineQuerySet(InheritedScopeQuerySet):
    def applying_to(self, node):
        """Routines of the node itself and of every node above it."""
        return self.filter(unit_id__in=node.ancestor_ids())

    def current(self):
        return self.filter(current_version__isnull=False)


class Routine(models.Model):
    scope_lookup = "unit"
    view_permission = VIEW

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="routines",
        verbose_name=_("applies to"),
        help_text=_("The routine applies to this part of the organisation and everything below."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_routines",
        verbose_name=_("owner"),
    )
    roles = models.ManyToManyField(
        "accounts.Role",
        blank=True,
        related_name="routines",
        verbose_name=_("for roles"),
        help_text=_("Empty: for everyone in the units it applies to."),
    )
    legal_sections = models.ManyToManyField(
        "legal.RegulationSection",
        blank=True,
        related_name="routines",
        verbose_name=_("legal references"),
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"), default=12
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True, db_index=True)
    requires_acknowledgment = models.BooleanField(
        _("staff acknowledge having read it"), default=True
    )
    current_version = models.OneToOneField(
        "routines.RoutineVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published version"),
    )
    # A unit's local routine proposed to apply to all units of the department (seed 003).
    adopted_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
        verbose_name=_("adopted from"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = RoutineQuerySet.as_manager()

    class Meta:
        verbose_name = _("routine")
        verbose_name_plural = _("routines")
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["unit", "title"])]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("routines:detail", args=[self.pk])

    def get_scope_node(self):
        return self.unit

    def review_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.next_review_on is not None and self.next_review_on < today


class RoutineVersion(models.Model):
    scope_lookup = "routine__unit"
    view_permission = VIEW
    history_hidden_fields = ("search_text",)

    routine = models.ForeignKey(
        Routine, on_delete=models.CASCADE, related_name="versions", verbose_name=_("routine")
    )
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=20, choices=VersionState.choices, default=VersionState.DRAFT
    )
    body_format = models.CharField(
        _("form"), max_length=10, choices=BodyFormat.choices, default=BodyFormat.TEXT
    )
    # Sanitised HTML (routines/text.py): only the tags of the editor survive.
    body = models.TextField(_("text"), blank=True)
    file = models.FileField(_("document"), upload_to="routines/%Y/", blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    # The words of the body or of the document, for search and for the difference view.
    search_text = models.TextField(editable=False, blank=True)
    change_summary = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_as = models.CharField(_("approved as"), max_length=120, blank=True)
    board_paragraph = models.CharField(_("board minutes §"), max_length=20, blank=True)
    board_registry_number = models.CharField(_("registry number (Dnr)"), max_length=40, blank=True)
    board_decided_on = models.DateField(_("board decision date"), null=True, blank=True)
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    ended_at = models.DateTimeField(_("superseded or withdrawn"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)
    # The "revise routine" action this version answers; publishing it completes the action.
    action = models.ForeignKey(
        "actions.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="routine_versions",
        verbose_name=_("action"),
    )
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("routine version")
        verbose_name_plural = _("routine versions")
        ordering = ["routine", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "number"], name="unique_routine_version"),
            models.UniqueConstraint(
                fields=["routine"],
                condition=Q(state="published"),
                name="one_published_version_per_routine",
            ),
        ]

    def __str__(self):
        return f"{self.routine.reference} v{self.number}"

    def get_absolute_url(self):
        return reverse("routines:version", args=[self.pk])

    def get_scope_node(self):
        return self.routine.unit


class VersionTransition(models.Model):
    scope_lookup = "version__routine__unit"
    view_permission = VIEW

    version = models.ForeignKey(
        RoutineVersion,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("version"),
    )
    from_state = models.CharField(_("from"), max_length=20, choices=VersionState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=VersionState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("version state change")
        verbose_name_plural = _("version state changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.version} {self.from_state} → {self.to_state}"

    def get_scope_node(self):
        return self.version.routine.unit


class Reviewer(models.Model):
    """A named reviewer of a version in review; done when they have given their view."""

    scope_lookup = "version__routine__unit"
    view_permission = VIEW

    version = models.ForeignKey(
        RoutineVersion,
        on_delete=models.CASCADE,
        related_name="reviewers",
        verbose_name=_("version"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="routine_reviews",
        verbose_name=_("reviewer"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    done_at = models.DateTimeField(_("review given"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_reviewer_entry"),
        ]

    def __str__(self):
        return f"{self.version} – {self.user}"

    def get_scope_node(self):
        return self.version.routine.unit


class ReviewComment(models.Model):
    scope_lookup = "version__routine__unit"
    view_permission = VIEW

    version = models.ForeignKey(
        RoutineVersion,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("version"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.version} – {self.author}"

    def get_scope_node(self):
        return self.version.routine.unit


class Proposal(models.Model):
    """A unit's local routine proposed to the level above, which decides whether it is to
    apply to all its units (seed 003: local routines escalated to the department)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        ADOPTED = "adopted", _("Adopted for the whole level")
        DECLINED = "declined", _("Declined")

    scope_lookup = "to_node"
    view_permission = VIEW

    routine = models.ForeignKey(
        Routine, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("routine")
    )
    to_node = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed to"),
    )
    motivation = models.TextField(_("why it should apply to all"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    outcome = models.CharField(
        _("decision"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("reason for the decision"), blank=True)
    adopted_as = models.ForeignKey(
        Routine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("adopted as"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["routine"],
                condition=Q(outcome="pending"),
                name="one_pending_proposal_per_routine",
            ),
        ]

    def __str__(self):
        return f"{self.routine} → {self.to_node}"

    def get_scope_node(self):
        return self.to_node


class Acknowledgment(models.Model):
    """A person's read-and-acknowledge task for one published version (6 kap)."""

    scope_lookup = "unit"
    view_permission = VIEW

    version = models.ForeignKey(
        RoutineVersion,
        on_delete=models.CASCADE,
        related_name="acknowledgments",
        verbose_name=_("version"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="acknowledgments",
        verbose_name=_("person"),
    )
    # The person's unit when the task was given: the manager's per-unit overview groups by it.
    unit = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    assigned_at = models.DateTimeField(_("asked"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("acknowledgment")
        verbose_name_plural = _("acknowledgments")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_acknowledgment"),
        ]
        indexes = [
            models.Index(fields=["user", "acknowledged_at"]),
            models.Index(fields=["version", "unit"]),
            # The open tasks, for the managers' overview: small, and read without the table.
            models.Index(
                fields=["version", "unit", "user"],
                condition=Q(acknowledged_at__isnull=True),
                name="routines_ack_open_idx",
            ),
            # The yearly report's tasks of a year per unit (routines/report_chapter.py): from
            # the index alone on PostgreSQL; a unit's rows lie scattered over the table.
            models.Index(
                fields=["unit", "assigned_at"],
                include=["user", "acknowledged_at", "id"],
                name="routines_ack_unit_asked",
            ),
        ]

    def __str__(self):
        return f"{self.version} – {self.user}"

    def get_scope_node(self):
        return self.unit


class AcknowledgmentCount(models.Model):
    """How many people were asked to acknowledge a version in a unit (the tasks of that version
    and unit, acknowledged or not): the managers' overview adds these up instead of counting a
    municipality's million tasks on every request.

    Kept by the database itself, by the triggers of migration 0004_counts_and_search_vector on
    every insert, delete and move of an Acknowledgment, whatever writes it (the services, a bulk
    insert, a cascade, the scale data): a row exists exactly for the pairs that have tasks.
    `open` is how many of those tasks are not yet acknowledged (migration 0005): acknowledging
    takes one from it, under the pair's row lock, in the acknowledging person's own short
    transaction; two rounds adding tasks to the same pair at once add up the same way.
    On SQLite a migration that rebuilds the acknowledgment table drops its triggers: such a
    migration must create them again (tests/test_routine_speed.py notices).
    """

    # No index of their own: the unique constraint and the index of migration 0004 lead with
    # them. DO_NOTHING: a count goes with the last task of its version and unit (the triggers),
    # which a version or unit removed takes with it (or protects it from removal).
    version = models.ForeignKey(
        RoutineVersion, on_delete=models.DO_NOTHING, related_name="+", db_index=False
    )
    unit = models.ForeignKey(
        "organisation.OrgNode", on_delete=models.DO_NOTHING, related_name="+", db_index=False
    )
    asked = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("acknowledgment count")
        verbose_name_plural = _("acknowledgment counts")
        # On PostgreSQL also an index by unit carrying version, asked and open (0005):
        # the overview sums a department's counts from it alone.
        constraints = [
            models.UniqueConstraint(fields=["version", "unit"], name="one_acknowledgment_count"),
        ]

    def __str__(self):
        return f"{self.version_id}/{self.unit_id}: {self.open} of {self.asked} open"


class RoutineReview(models.Model):
    """A periodic review of a routine: with or without change, and the next review date."""

    class Outcome(models.TextChoices):
        NO_CHANGE = "no_change", _("Reviewed, still correct without change")
        REVISE = "revise", _("Needs revision: a new version was started")

    scope_lookup = "routine__unit"
    view_permission = VIEW

    routine = models.ForeignKey(
        Routine, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("routine")
    )
    version = models.ForeignKey(
        RoutineVersion,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("version reviewed"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    next_review_on = models.DateField(_("next review"))
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("routine review")
        verbose_name_plural = _("routine reviews")
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"{self.routine} {self.reviewed_on}"

    def get_scope_node(self):
        return self.routine.unit


class RoutineReminder(models.Model):
    """A reminder sent about a routine (review date) or an acknowledgment, claimed by its
    unique key before anything is sent: a retry or a second worker sends nothing twice."""

    class Kind(models.TextChoices):
        REVIEW_BEFORE = "review_before", _("Review date approaching")
        REVIEW_DUE = "review_due", _("Review date reached")
        REVIEW_ESCALATION = "review_escalation", _("Review overdue, to the manager")
        ACKNOWLEDGE = "acknowledge", _("Routine not yet acknowledged")

    scope_lookup = "routine__unit"
    view_permission = VIEW

    routine = models.ForeignKey(
        Routine, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("routine")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The date the reminder is about (the review date, or the acknowledgment's version date):
    # a new review date gives new reminders.
    about = models.DateField(_("concerning"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("routine reminder")
        verbose_name_plural = _("routine reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["routine", "kind", "about", "recipient"],
                name="one_routine_reminder",
            ),
        ]

    def __str__(self):
        return f"{self.routine} {self.kind} → {self.recipient_id}"

    def get_scope_node(self):
        return self.routine.unit


class ReferenceSequence(models.Model):
    """The last routine number given (RU-NNNNN), one row, locked while a number is taken."""

    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("routine number sequence")

    def __str__(self):
        return str(self.last)
