"""The aggregated analysis of deviations (SOSFS 2011:9 5 kap 6–8 §§).

An analysis covers a period and a part of the organisation (its scope node and everything
below it). It is written as a draft, with the key figures taken from the register each time it
is saved, and is decided by the board (e.g. Socialnämnden) with paragraph (§) and registry
number (Dnr); from then on the document and its figures no longer change. The organisation-wide
measures it decides are actions (actions.Action) whose source is the analysis.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet

VIEW = "analysis.view"
MANAGE = "analysis.manage"


class AnalysisStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DECIDED = "decided", _("Decided")


# action → (from, to): the only ways an analysis may move; services check every change.
TRANSITIONS = {
    "decide": (AnalysisStatus.DRAFT, AnalysisStatus.DECIDED),
}


class AggregatedAnalysis(models.Model):
    scope_lookup = "scope"
    view_permission = VIEW

    title = models.CharField(_("title"), max_length=200)
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    scope = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="aggregated_analyses",
        verbose_name=_("part of the organisation"),
        help_text=_("The analysis covers this unit and everything below it."),
    )
    findings = models.TextField(
        _("findings"),
        help_text=_(
            "Patterns and trends, the most common causes at system level, whether earlier "
            "measures had the intended effect, and what needs to change."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AnalysisStatus.choices,
        default=AnalysisStatus.DRAFT,
        db_index=True,
    )
    decision_body = models.CharField(
        _("decided by (board)"),
        max_length=120,
        blank=True,
        help_text=_("E.g. Socialnämnden."),
    )
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    paragraph = models.CharField(_("paragraph (§)"), max_length=40, blank=True)
    registry_number = models.CharField(_("registry number (Dnr)"), max_length=60, blank=True)
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decision recorded by"),
    )
    decision_recorded_at = models.DateTimeField(_("decision recorded"), null=True, blank=True)
    figures = models.JSONField(_("key figures"), default=dict, blank=True, editable=False)
    figures_taken_at = models.DateTimeField(
        _("figures taken"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("aggregated analysis")
        verbose_name_plural = _("aggregated analyses")
        ordering = ["-period_to", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_to__gte=models.F("period_from")),
                name="analysis_period_ordered",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("analysis:analysis_detail", args=[self.pk])

    def get_scope_node(self):
        return self.scope

    @property
    def is_decided(self):
        return self.status == AnalysisStatus.DECIDED


# -- counts kept per unit and month ----------------------------------------------------------
#
# The statistics read these instead of joining reports, tracks, investigations and causes for
# every request: a year of a large municipality is some 100,000 reports, and the joins would
# take a second. Each row is recomputed from the register for its unit and month whenever
# something in that unit and month changes (analysis/buckets.py follows the change log), so the
# counts are the register's, not a second truth. They hold no personal data. The links to units
# and causes carry no database constraint: the rows are derived, and a recount replaces them.


def _unit():
    return models.ForeignKey(
        "organisation.OrgNode", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )


def _count():
    return models.PositiveIntegerField(default=0)


# The statistics read a period's rows by span, month and unit, and only these columns: with all
# of them in the index the database answers from the index alone, without visiting the table's
# rows, which a recount scatters (PostgreSQL, 500 units: 26 ms → 2 ms a query). As key columns,
# not INCLUDE, so that every database builds the same index.
REPORT_COLUMNS = (
    "reports",
    "unclassified",
    "not_deviation",
    "lex_sarah",
    "data_breach",
    "lex_maria",
    "other",
)
TRACK_COLUMNS = (
    "kind",
    "n",
    "open",
    "investigating",
    "decided",
    "closed",
    "serious_yes",
    "serious_no",
    "closed_with_action",
    "notified",
    "not_notified",
)
CAUSE_COLUMNS = ("cause", "n", "lex_sarah", "data_breach", "lex_maria", "other")
CATEGORY_COLUMNS = (
    "category",
    "n",
    "not_deviation",
    "lex_sarah",
    "data_breach",
    "lex_maria",
    "other",
)


def _read_index(name, columns):
    return models.Index(fields=["span", "month", "unit", *columns], name=name)


class Span(models.TextChoices):
    MONTH = "m", _("month")
    YEAR = "y", _("year")


class Bucket(models.Model):
    """One unit and one month (the first day of the month), or summed, one calendar year
    (`span`, the first day of the year)."""

    unit = _unit()
    span = models.CharField(max_length=1, choices=Span.choices, default=Span.MONTH)
    month = models.DateField()

    class Meta:
        abstract = True

    def bucket_label(self):
        return f"{self.unit_id} {self.span}{self.month:%Y-%m}"


class ReportCount(Bucket):
    """Reports made in one unit in one month (by the date reported), and their tracks; or,
    summed, in one calendar year (`span`): a year's statistics per unit then read one row per
    unit instead of twelve."""

    reports = _count()
    unclassified = _count()
    # Reports with each track (one track of a kind per report).
    not_deviation = _count()
    lex_sarah = _count()
    data_breach = _count()
    lex_maria = _count()
    other = _count()

    class Meta:
        verbose_name = _("report count")
        verbose_name_plural = _("report counts")
        indexes = [_read_index("analysis_reportcount_read", REPORT_COLUMNS)]

    def __str__(self):
        return f"{self.bucket_label()}: {self.reports}"


class TrackCount(Bucket):
    """Tracks of one kind among one unit's reports of one month (or, summed, one calendar year:
    `span`), by state and outcome."""

    kind = models.CharField(max_length=20)
    n = _count()
    open = _count()
    investigating = _count()
    decided = _count()
    closed = _count()
    serious_yes = _count()
    serious_no = _count()
    closed_with_action = _count()
    notified = _count()
    not_notified = _count()

    class Meta:
        verbose_name = _("track count")
        verbose_name_plural = _("track counts")
        indexes = [_read_index("analysis_trackcount_read", TRACK_COLUMNS)]

    def __str__(self):
        return f"{self.bucket_label()} {self.kind}: {self.n}"


class CauseCount(Bucket):
    """Closed investigations naming one cause, per unit and month (or year: `span`), by kind."""

    cause = models.ForeignKey(
        "deviations.Cause", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    n = _count()
    lex_sarah = _count()
    data_breach = _count()
    lex_maria = _count()
    other = _count()

    class Meta:
        verbose_name = _("cause count")
        verbose_name_plural = _("cause counts")
        indexes = [_read_index("analysis_causecount_read", CAUSE_COLUMNS)]

    def __str__(self):
        return f"{self.bucket_label()} {self.cause_id}: {self.n}"


class CategoryCount(Bucket):
    """Reports of one kind of event (deviations.EventCategory; none: not stated) made in one
    unit in one month (or, summed, one calendar year: `span`), and those of them with each
    track."""

    category = models.ForeignKey(
        "deviations.EventCategory",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    n = _count()
    not_deviation = _count()
    lex_sarah = _count()
    data_breach = _count()
    lex_maria = _count()
    other = _count()

    class Meta:
        verbose_name = _("kind of event count")
        verbose_name_plural = _("kind of event counts")
        indexes = [_read_index("analysis_categorycount_read", CATEGORY_COLUMNS)]

    def __str__(self):
        return f"{self.bucket_label()} {self.category_id}: {self.n}"


class CountState(models.Model):
    """How far the counts have followed the register: one row."""

    built_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    last_log_id = models.BigIntegerField(default=0)
    last_deviation_id = models.BigIntegerField(default=0)
    last_track_id = models.BigIntegerField(default=0)
    # The change-log entries of the last minute already counted (they are read again, in case
    # an earlier one committed late, but not counted twice).
    recent_log_ids = models.JSONField(default=list)
    # One more each time any count is made again: figures read from the counts stay right
    # until it moves (analysis/reading.py keeps them that long).
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("state of the counts")
        verbose_name_plural = _("state of the counts")

    def __str__(self):
        return f"{self.built_at}: log {self.last_log_id}"


def _register_lookups():
    from analysis.lookups import register

    register(ReportCount, TrackCount, CauseCount, CategoryCount)


_register_lookups()
