"""The read-and-acknowledge tasks of the generated versions, and the search index."""

import time
from datetime import timedelta

from django.db import connection

from core.scale_data import since
from routines import search
from routines.models import Acknowledgment
from routines.scale_data.versions import BATCH


def acknowledgments(run):
    """Every person in scope asked at each publication; most acknowledged within days (a
    version in force for long, almost all), a superseded version's stragglers left open."""
    rng, now = run.rng, run.now
    batch, started, done = [], time.monotonic(), 0
    for routine in run.all_routines:
        if not routine.requires_acknowledgment:
            continue
        people = sorted(run.scope.in_scope(routine.unit.path, routine.role_ids).items())
        if not people:
            continue
        for version in routine.version_rows:
            asked = version.published_at
            until = version.ended_at or now
            age = (until - asked).days
            share = 0.92 if version.ended_at else min(0.95, 0.35 + 0.6 * age / 90)
            for user_id, unit_id in people:
                acknowledged = None
                if rng.random() < share:
                    acknowledged = asked + timedelta(hours=rng.lognormvariate(4.0, 1.2))
                    if acknowledged >= until:
                        acknowledged = None
                batch.append(
                    Acknowledgment(
                        version_id=version.pk,
                        user_id=user_id,
                        unit_id=unit_id,
                        assigned_at=asked,
                        acknowledged_at=acknowledged,
                    )
                )
            if len(batch) >= 10 * BATCH:
                done += _write(run, batch)
                batch = []
                if done % 200_000 < 10 * BATCH:
                    run.stdout.write(f"  {done} acknowledgments ({since(started)})", ending="\n")
    done += _write(run, batch)
    run.stdout.write(f"  {done} acknowledgments ({since(started)})")


def _write(run, rows):
    Acknowledgment.objects.bulk_create(rows, batch_size=BATCH)
    run.add("acknowledgments", len(rows))
    return len(rows)


def index(run):
    """PostgreSQL: the GIN expression index covers the published versions by itself.
    SQLite: each published version into the FTS table."""
    if connection.vendor == "postgresql":
        return
    for version in run.current.values():
        search.index_version(version)
