"""The generated reports: one row per report, the tracks it is classified into, and its
events and triage clock."""

from bisect import bisect
from types import SimpleNamespace

from django.utils import timezone

from deviations.models import Deviation, DeviationStatus
from deviations.scale_data.mix import (
    CATEGORY_SHARE,
    DESCRIPTIONS,
    DETAILS,
    IMMEDIATE,
    NOT_DEVIATION_SHARE,
    PLACES,
    TEXT_CATEGORY,
    TRACK_MIX,
    hours,
)
from deviations.scale_data.tracks import track
from deviations.services import REFERENCE
from legal.clocks import due_at
from legal.rules import TrackKind


def report(run, rows, deviation_id, reported_at):
    """One report: where and by whom, its text, its classification into tracks (once
    triaged) and its status, with its events and its triage clock."""
    rng, now = run.rng, run.now
    node = run.reporting_nodes[bisect(run.cum_weights, rng.random() * run.cum_weights[-1])]
    unit = run.unit_of[node.pk]
    reporter, manager = run.reporter[node.pk], run.manager[unit.pk]
    year = timezone.localtime(reported_at, run.tz).year
    run.numbers[year] = number = run.numbers.get(year, 0) + 1
    if rng.random() < NOT_DEVIATION_SHARE:
        kinds = (TrackKind.NOT_DEVIATION,)
    else:
        kinds = TRACK_MIX[bisect(run.mix_cum, rng.random() * run.mix_cum[-1])][0]
    main = kinds[0]
    affected = rng.choices(("yes", "no", "unknown"), (7, 2, 1))[0]
    triaged_at = reported_at + hours(rng, 5)
    triaged = triaged_at <= now
    case = SimpleNamespace(
        id=deviation_id,
        reference=REFERENCE.format(year=year, number=number),
        reported_at=reported_at,
        triaged_at=triaged_at,
        unit=unit,
        manager=manager,
        affected=affected,
    )
    tracks = [track(run, rows, case, kind) for kind in kinds] if triaged else []
    text = rng.choice(DESCRIPTIONS[main])
    stated = rng.random() < CATEGORY_SHARE
    category = run.category_ids.get(TEXT_CATEGORY.get(text)) if stated else None
    if not triaged:
        status, closed_at = DeviationStatus.REPORTED, None
    elif all(t["closed_at"] for t in tracks):
        status, closed_at = DeviationStatus.CLOSED, max(t["closed_at"] for t in tracks)
    else:
        status, closed_at = DeviationStatus.TRIAGED, None
    rows["deviations"].append(
        (
            deviation_id,
            case.reference,
            node.pk,
            reporter,
            reported_at,
            reported_at,
            reported_at - hours(rng, 2, 1.2),
            rng.choice(PLACES),
            text + rng.choice(DETAILS),
            rng.choice(IMMEDIATE),
            affected,
            category,
            f"Brukare {rng.randrange(100_000):05d}"
            if affected == "yes" and rng.random() < 0.6
            else "",
            TrackKind.LEX_SARAH in kinds and rng.random() < 0.6 or rng.random() < 0.03,
            TrackKind.LEX_MARIA in kinds and rng.random() < 0.8 or rng.random() < 0.05,
            TrackKind.DATA_BREACH in kinds and rng.random() < 0.7 or rng.random() < 0.02,
            rng.random() < 0.04,
            status,
            closed_at,
        )
    )
    events = rows["events"]
    ct = run.ct[Deviation]
    events.append((ct, str(deviation_id), "deviations.reported", {}, reporter, reported_at))
    for rule in run.rules.get("", ()):
        if rule.starts != "reported":
            continue
        met = triaged_at if triaged and rule.ends == "triaged" else None
        rows["clocks"].append(
            (
                deviation_id,
                None,
                rule.pk,
                reported_at,
                due_at(reported_at, rule.amount, rule.unit),
                met,
            )
        )
    if triaged:
        labels = ", ".join(run.kind_label[k] for k in kinds)
        events.append(
            (
                ct,
                str(deviation_id),
                "deviations.triaged",
                {"tracks": labels},
                manager,
                triaged_at,
            )
        )
        for made in tracks:
            for at, verb, params, actor in made["events"]:
                events.append((ct, str(deviation_id), verb, params, actor, at))
