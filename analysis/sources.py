"""Counting in the register: what the statistics count, and the queries that count it.

Each `source_*` query returns rows per unit and month: the shape of the counts analysis/buckets.py
keeps, so that the kept counts are built, and the partly covered months of a period are counted
(analysis/stats.py), by the same code. The figures made of them are in analysis/stats.py.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from actions.models import Action
from deviations.authority.models import AuthorityNotification, NotificationState, Recipient
from deviations.models import DeviationStatus, Track, TrackState
from legal.rules import TrackKind

# The tracks a deviation can take, in the order the figures are shown.
DEVIATION_KINDS = (
    TrackKind.LEX_SARAH,
    TrackKind.DATA_BREACH,
    TrackKind.LEX_MARIA,
    TrackKind.OTHER,
)
AUTHORITY_RECIPIENTS = (Recipient.IVO_LEX_SARAH, Recipient.IVO_LEX_MARIA, Recipient.IMY)
TRACK_COUNTS = (
    "n",
    "serious_yes",
    "serious_no",
    "closed_with_action",
    "notified",
    "not_notified",
)
STATES = tuple(TrackState.values)
# ReportCount's column per track: the reports that have it.
KIND_COLUMNS = (TrackKind.NOT_DEVIATION, *DEVIATION_KINDS)


# -- days and months ---------------------------------------------------------------------------


def next_month(day):
    """The first day of the month after `day`'s."""
    return (
        datetime.date(day.year + 1, 1, 1)
        if day.month == 12
        else day.replace(month=day.month + 1, day=1)
    )


def day_start(day):
    """The first moment of a day in local time."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def in_range(start, end, prefix=""):
    """A Q for reports made from `start` to `end`, both days included, in local time."""
    return Q(
        **{
            f"{prefix}reported_at__gte": day_start(start),
            f"{prefix}reported_at__lt": day_start(end + datetime.timedelta(days=1)),
        }
    )


def month_of(value):
    """The first day of the month of a date or a (local) datetime."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date().replace(day=1)
    return value.replace(day=1) if value else None


# -- the register, per unit and month ----------------------------------------------------------


def source_reports(deviations):
    """Reports, and those awaiting classification, per unit and month."""
    rows = (
        deviations.order_by()
        .annotate(month=TruncMonth("reported_at"))
        .values("unit_id", "month")
        .annotate(
            reports=Count("pk"),
            unclassified=Count("pk", filter=Q(status=DeviationStatus.REPORTED)),
        )
    )
    return [{**row, "month": month_of(row["month"])} for row in rows]


def notified_track_ids():
    """Tracks with a notification to IVO or IMY that has been sent (or since decided)."""
    return AuthorityNotification.objects.filter(
        recipient__in=AUTHORITY_RECIPIENTS,
        state__in=(NotificationState.SENT, NotificationState.DECIDED),
    ).values("track_id")


def documented_not_notified_track_ids():
    """Tracks whose notification was documented as not made (a breach unlikely to be a risk)."""
    return AuthorityNotification.objects.filter(
        recipient__in=AUTHORITY_RECIPIENTS, state=NotificationState.NOT_NOTIFIED
    ).values("track_id")


def _id_hint(conditions, id_range, prefix):
    # The reports' ids span: a condition on the tracks' own column lets the database read only
    # those reports' tracks by index (ids grow with time, so a period's span is narrow).
    if id_range and id_range[0] is not None:
        conditions[f"{prefix}__gte"], conditions[f"{prefix}__lte"] = id_range
    return conditions


def source_tracks(deviations, kind="", id_range=None):
    """Tracks per unit, month, kind and state, with seriousness, actions and notifications.

    Grouped from the reports' side (one join to their tracks), so that a few reports read only
    their own tracks. `deviations` must not itself filter on tracks.
    """
    track_type = ContentType.objects.get_for_model(Track)
    # Correlated, and asked only of closed tracks: an index lookup each, not a read of every
    # action in the register.
    with_action = Exists(
        Action.objects.filter(source_type=track_type, source_id=OuterRef("tracks__pk"))
    )
    tracks = {"tracks__kind": kind} if kind else {"tracks__isnull": False}
    _id_hint(tracks, id_range, "tracks__deviation_id")
    rows = (
        deviations.order_by()
        .filter(**tracks)
        .annotate(month=TruncMonth("reported_at"))
        .values("unit_id", "month", kind=F("tracks__kind"), state=F("tracks__state"))
        .annotate(
            n=Count("tracks"),
            serious_yes=Count("tracks", filter=Q(tracks__serious=True)),
            serious_no=Count("tracks", filter=Q(tracks__serious=False)),
            closed_with_action=Count(
                "tracks", filter=Q(tracks__state=TrackState.CLOSED) & with_action
            ),
            notified=Count("tracks", filter=Q(tracks__pk__in=notified_track_ids())),
            not_notified=Count(
                "tracks", filter=Q(tracks__pk__in=documented_not_notified_track_ids())
            ),
        )
    )
    return [{**row, "month": month_of(row["month"])} for row in rows]


def source_causes(deviations, kind="", id_range=None):
    """Closed investigations naming each cause, per unit, month and kind of track."""
    closed = {
        "tracks__state": TrackState.CLOSED,
        "tracks__investigation__causes__isnull": False,
    }
    if kind:
        closed["tracks__kind"] = kind
    _id_hint(closed, id_range, "tracks__deviation_id")
    rows = (
        deviations.order_by()
        .filter(**closed)
        .annotate(month=TruncMonth("reported_at"))
        .values(
            "unit_id",
            "month",
            kind=F("tracks__kind"),
            cause_id=F("tracks__investigation__causes"),
        )
        .annotate(n=Count("pk"))
    )
    return [{**row, "month": month_of(row["month"])} for row in rows]


def source_categories(deviations, kind=""):
    """Reports per unit, month and kind of event (category_id None: not stated); with `kind`,
    the reports with that track (one track of a kind per report)."""
    if kind:
        deviations = deviations.filter(tracks__kind=kind)
    rows = (
        deviations.order_by()
        .annotate(month=TruncMonth("reported_at"))
        .values("unit_id", "month", "category_id")
        .annotate(n=Count("pk"))
    )
    return [{**row, "month": month_of(row["month"])} for row in rows]


def source_category_tracks(deviations):
    """Reports with each track per unit, month and kind of event: the track columns of the
    kept counts per kind of event, so that a track filter reads them too."""
    rows = (
        deviations.order_by()
        .filter(tracks__isnull=False)
        .annotate(month=TruncMonth("reported_at"))
        .values("unit_id", "month", "category_id", kind=F("tracks__kind"))
        .annotate(n=Count("pk"))
    )
    return [{**row, "month": month_of(row["month"])} for row in rows]


# -- adding up ---------------------------------------------------------------------------------


def tracks_by_kind(rows):
    """Rows per state → one row per (unit, month, kind) with a count column per state."""
    merged = {}
    for row in rows:
        key = (row["unit_id"], row["month"], row["kind"])
        target = merged.get(key)
        if target is None:
            target = merged[key] = {
                "unit_id": row["unit_id"],
                "month": row["month"],
                "kind": row["kind"],
                **dict.fromkeys(TRACK_COUNTS + STATES, 0),
            }
        for name in TRACK_COUNTS:
            target[name] += row[name]
        target[row["state"]] += row["n"]
    return list(merged.values())
