"""The counts per unit and month that the statistics read, kept in step with the register.

A bucket is one unit and one calendar month (by the date reported). Its rows in ReportCount,
TrackCount, CauseCount and CategoryCount are never adjusted by hand: when anything in a bucket
changes, its rows are deleted and counted again from the register (analysis.sources.source_*),
so they are always what the register says.

What changed is read, before every statistics request, from the change log that django-auditlog
keeps of every save, change of causes and deletion of reports, tracks, investigations, actions
and authority notifications (auditlog.models.LogEntry), plus any report or track added without
it (a bulk import). A deletion, or a report moved to another unit or date, recounts everything,
as does `manage.py rebuild_statistics`, which is the thing to run after loading data in bulk
straight into the tables.

Log entries that commit late (a transaction that started before the last check) are caught by
reading the entries of the last minute again; those already counted are remembered and skipped.
"""

import datetime
from collections import defaultdict

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q, Subquery, Sum
from django.db.models.functions import TruncMonth, TruncYear
from django.utils import timezone

from analysis import sources
from analysis.models import (
    CategoryCount,
    CauseCount,
    CountState,
    ReportCount,
    Span,
    TrackCount,
)

# Late commits: log entries of this long before the last check are read again.
WINDOW = datetime.timedelta(minutes=1)
# Beyond this many changed buckets one recount of everything is as quick.
MAX_BUCKETS = 400
# Beyond this many changed records (a bulk import), likewise.
MAX_CHANGES = 5000
BATCH = 5000


def _watched():
    from actions.models import Action
    from deviations.authority.models import AuthorityNotification
    from deviations.investigation.models import Investigation
    from deviations.models import Deviation, Track

    models = (Deviation, Track, Investigation, Action, AuthorityNotification)
    types = ContentType.objects.get_for_models(*models)
    return {types[model].pk: model for model in models}


def _state():
    state = CountState.objects.select_for_update().order_by("pk").first()
    if state is None:
        CountState.objects.bulk_create([CountState()])
        state = CountState.objects.select_for_update().order_by("pk").first()
    return state


def _save(state, **fields):
    # An update, not save(): the state is bookkeeping, not a change worth logging.
    for name, value in fields.items():
        setattr(state, name, value)
    CountState.objects.filter(pk=state.pk).update(**fields)


def _delete(model, q):
    # No signals: these rows are derived, not records (and auditlog need not log them).
    queryset = model.objects.filter(q)
    queryset._raw_delete(queryset.db)


def _month_range(month):
    return sources.day_start(month), sources.day_start(sources.next_month(month))


def _count(deviations):
    """Count the deviations' buckets in the register and store the monthly rows; returns the
    (unit, year) pairs whose yearly sums need counting again."""
    tracks = sources.tracks_by_kind(sources.source_tracks(deviations))
    kinds = defaultdict(dict)
    for row in tracks:
        kinds[(row["unit_id"], row["month"])][row["kind"]] = row["n"]
    reports = [
        ReportCount(
            unit_id=r["unit_id"],
            month=r["month"],
            reports=r["reports"],
            unclassified=r["unclassified"],
            **{
                str(kind): kinds[(r["unit_id"], r["month"])].get(kind, 0)
                for kind in sources.KIND_COLUMNS
            },
        )
        for r in sources.source_reports(deviations)
    ]
    causes = {}
    for r in sources.source_causes(deviations):
        key = (r["unit_id"], r["month"], r["cause_id"])
        row = causes.get(key)
        if row is None:
            row = causes[key] = CauseCount(unit_id=key[0], month=key[1], cause_id=key[2])
        row.n += r["n"]
        if r["kind"] in sources.DEVIATION_KINDS:
            setattr(row, r["kind"], getattr(row, r["kind"]) + r["n"])
    categories = {}
    for r in sources.source_categories(deviations):
        key = (r["unit_id"], r["month"], r["category_id"])
        categories[key] = CategoryCount(unit_id=key[0], month=key[1], category_id=key[2], n=r["n"])
    for r in sources.source_category_tracks(deviations):
        row = categories.get((r["unit_id"], r["month"], r["category_id"]))
        if row is not None and r["kind"] in sources.KIND_COLUMNS:
            setattr(row, r["kind"], r["n"])
    ReportCount.objects.bulk_create(reports, batch_size=BATCH)
    TrackCount.objects.bulk_create([TrackCount(**row) for row in tracks], batch_size=BATCH)
    CauseCount.objects.bulk_create(list(causes.values()), batch_size=BATCH)
    CategoryCount.objects.bulk_create(list(categories.values()), batch_size=BATCH)
    return {(r.unit_id, r.month.year) for r in reports}


CAUSE_COLUMNS = ("n", *sources.DEVIATION_KINDS)
CATEGORY_COLUMNS = ("n", *map(str, sources.KIND_COLUMNS))
COUNTS = (ReportCount, TrackCount, CauseCount, CategoryCount)
REPORT_COLUMNS = ("reports", "unclassified", *map(str, sources.KIND_COLUMNS))


def _count_years(unit_years=None):
    """Sum the monthly rows into yearly ones, for these (unit, year) pairs or for all."""
    where = Q()
    for unit_id, year in unit_years or ():
        where |= Q(
            unit_id=unit_id,
            month__gte=datetime.date(year, 1, 1),
            month__lte=datetime.date(year, 12, 1),
        )
    if unit_years is not None and not unit_years:
        return
    for model, groups, columns in (
        (ReportCount, (), REPORT_COLUMNS),
        (TrackCount, ("kind",), sources.TRACK_COUNTS + sources.STATES),
        (CauseCount, ("cause_id",), CAUSE_COLUMNS),
        (CategoryCount, ("category_id",), CATEGORY_COLUMNS),
    ):
        _delete(model, where & Q(span=Span.YEAR))
        rows = (
            model.objects.filter(where, span=Span.MONTH)
            .order_by()
            .annotate(year=TruncYear("month"))
            .values("unit_id", "year", *groups)
            .annotate(**{f"sum_{name}": Sum(name) for name in columns})
        )
        model.objects.bulk_create(
            [
                model(
                    unit_id=row["unit_id"],
                    span=Span.YEAR,
                    month=sources.month_of(row["year"]).replace(month=1),
                    **{group: row[group] for group in groups},
                    **{name: row[f"sum_{name}"] for name in columns},
                )
                for row in rows.iterator(chunk_size=BATCH)
            ],
            batch_size=BATCH,
        )


def rebuild(state=None):
    """Count everything again from the register."""
    from deviations.models import Deviation, Track

    with transaction.atomic():
        state = state or _state()
        top = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        last_deviation = Deviation.objects.order_by("-pk").values_list("pk", flat=True).first()
        last_track = Track.objects.order_by("-pk").values_list("pk", flat=True).first()
        for model in COUNTS:
            _delete(model, Q())
        _count(Deviation.objects.all())
        _count_years()
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner now, not whenever autovacuum gets round to it.
            with connection.cursor() as cursor:
                for model in COUNTS:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        now = timezone.now()
        # Everything up to `top` is counted: the last minute's entries need not be again.
        recent = LogEntry.objects.filter(
            content_type_id__in=list(_watched()), timestamp__gte=now - WINDOW, pk__lte=top
        ).values_list("pk", flat=True)
        _save(
            state,
            version=state.version + 1,
            built_at=now,
            checked_at=now,
            last_log_id=top,
            last_deviation_id=last_deviation or 0,
            last_track_id=last_track or 0,
            recent_log_ids=sorted(recent),
        )
    return state


def _newest(state):
    """(newest change-log entry, report, track) ids, in one query: every statistics request
    asks, and nearly always nothing is new."""
    from deviations.models import Deviation, Track

    def last(model):
        return Subquery(model.objects.order_by("-pk").values("pk")[:1])

    row = (
        CountState.objects.filter(pk=state.pk)
        .annotate(log=last(LogEntry), deviation=last(Deviation), track=last(Track))
        .values_list("log", "deviation", "track")
        .get()
    )
    return tuple(value or 0 for value in row)


def _changed_deviations(state, top, newest=None, newest_track=None):
    """The reports whose buckets changed since the last check, or None to recount everything.

    `top`, `newest`, `newest_track`: the newest change-log entry, report and track (read here
    when not given). Moves the state's marks for reports and tracks added without the change
    log.
    """
    from actions.models import Action
    from deviations.authority.models import AuthorityNotification
    from deviations.investigation.models import Investigation
    from deviations.models import Deviation, Track

    watched = _watched()
    now = timezone.now()
    entries = (
        LogEntry.objects.filter(content_type_id__in=list(watched))
        .filter(
            Q(pk__gt=state.last_log_id, pk__lte=top)
            | Q(timestamp__gte=state.checked_at - WINDOW, pk__lte=top)
        )
        .values_list("pk", "timestamp", "content_type_id", "object_id", "action", "changes")
    )
    seen = set(state.recent_log_ids or ())
    recent = []
    ids = {model: set() for model in watched.values()}
    # Nearly always a handful of rows: read in one query, and through a server-side cursor
    # (more round trips, for each statistics request) only when there are many.
    rows = list(entries.order_by("pk")[: BATCH + 1])
    if len(rows) > BATCH:
        rows = entries.iterator(chunk_size=BATCH)
    for pk, timestamp, type_id, object_id, action, changes in rows:
        if timestamp >= now - WINDOW:
            recent.append(pk)
        if pk in seen:
            continue
        model = watched[type_id]
        if action == LogEntry.Action.DELETE:
            return None
        moved = isinstance(changes, dict) and {"unit", "reported_at"} & set(changes)
        if model is Deviation and action == LogEntry.Action.UPDATE and moved:
            return None
        if object_id is not None:
            ids[model].add(object_id)
        if sum(len(v) for v in ids.values()) > MAX_CHANGES:
            return None
    changed = set(ids[Deviation])
    # Reports and tracks added without the change log (a bulk import).
    if newest is None:
        newest = Deviation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if newest < state.last_deviation_id:
        return None  # the register was emptied and filled again: count everything
    new_deviations = []
    if newest > state.last_deviation_id:
        new_deviations = list(
            Deviation.objects.filter(pk__gt=state.last_deviation_id)
            .order_by("pk")
            .values_list("pk", flat=True)[: MAX_CHANGES + 1]
        )
    new_tracks = []
    if newest_track is None or newest_track > state.last_track_id:
        new_tracks = list(
            Track.objects.filter(pk__gt=state.last_track_id)
            .order_by("pk")
            .values_list("pk", "deviation_id")[: MAX_CHANGES + 1]
        )
    if len(new_deviations) > MAX_CHANGES or len(new_tracks) > MAX_CHANGES:
        return None
    changed.update(new_deviations)
    changed.update(deviation_id for _pk, deviation_id in new_tracks)
    track_q = Q(pk__in=list(ids[Track]))
    if ids[Investigation]:
        track_q |= Q(investigation__in=list(ids[Investigation]))
    if ids[AuthorityNotification]:
        track_q |= Q(notifications__in=list(ids[AuthorityNotification]))
    if ids[Action]:
        track_q |= Q(
            pk__in=Action.objects.filter(
                pk__in=list(ids[Action]), source_type=ContentType.objects.get_for_model(Track)
            ).values("source_id")
        )
    if any(ids[model] for model in (Track, Investigation, AuthorityNotification, Action)):
        changed.update(Track.objects.filter(track_q).values_list("deviation_id", flat=True))
    state.last_deviation_id = max([state.last_deviation_id, *new_deviations])
    state.last_track_id = max([state.last_track_id, *(pk for pk, _d in new_tracks)])
    state.recent_log_ids = sorted(recent)
    return changed


def refresh_for_reading():
    """Before the statistics are read: bring the counts up to date, unless the deployment
    reads them from a replica (HJULET_STATISTICS_REFRESH_ON_READ=0), where the periodic task
    `refresh_statistics` keeps them and the page must not write. Counts never built are built
    all the same: without them every figure would be zero. Returns the state of the counts."""
    on_read = getattr(settings, "HJULET_STATISTICS_REFRESH_ON_READ", True)
    if on_read:
        return refresh()
    state = CountState.objects.filter(built_at__isnull=False).order_by("pk").first()
    return state or refresh()


def refresh():
    """Bring the counts up to date: nothing to do, a few buckets, or (rarely) everything.
    Returns the state of the counts."""
    from deviations.models import Deviation

    with transaction.atomic():
        state = _state()
        if state.built_at is None:
            return rebuild(state)
        top, newest, newest_track = _newest(state)
        recent_before = list(state.recent_log_ids or ())
        changed = _changed_deviations(state, top, newest, newest_track)
        if changed is None:
            return rebuild(state)
        buckets = set()
        if changed:
            rows = (
                Deviation.objects.filter(pk__in=list(changed))
                .order_by()
                .annotate(month=TruncMonth("reported_at"))
                .values_list("unit_id", "month")
                .distinct()
            )
            buckets = {(unit_id, sources.month_of(month)) for unit_id, month in rows}
        if len(buckets) > MAX_BUCKETS:
            return rebuild(state)
        if buckets:
            kept = Q()
            register = Q()
            for unit_id, month in buckets:
                low, high = _month_range(month)
                kept |= Q(unit_id=unit_id, month=month)
                register |= Q(unit_id=unit_id, reported_at__gte=low, reported_at__lt=high)
            for model in COUNTS:
                _delete(model, kept & Q(span=Span.MONTH))
            _count(Deviation.objects.filter(register))
            _count_years({(unit_id, month.year) for unit_id, month in buckets})
        if top != state.last_log_id or changed or state.recent_log_ids != recent_before:
            _save(
                state,
                version=state.version + (1 if buckets else 0),
                last_log_id=top,
                checked_at=timezone.now(),
                last_deviation_id=state.last_deviation_id,
                last_track_id=state.last_track_id,
                recent_log_ids=state.recent_log_ids,
            )
        return state
