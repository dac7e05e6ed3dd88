"""The tracks of the generated reports: classified, investigated, judged, decided and closed
as far as the present allows, with their steps and clocks."""

from deviations.models import Track, TrackState
from deviations.scale_data.authority import notifications
from deviations.scale_data.investigations import investigation
from deviations.scale_data.mix import (
    INVESTIGATION_DAYS,
    REASONS,
    RESTRICTED,
    SERIOUS_SHARE,
    START_HOURS,
    hours,
)
from legal.clocks import due_at
from legal.rules import TrackKind


def track(run, rows, case, kind):
    """One track's life: classified, investigated, judged, decided and closed (as far as
    the present allows), with its steps, clocks, investigation, causes and actions."""
    rng, now = run.rng, run.now
    deviation_id, triaged_at, manager = case.id, case.triaged_at, case.manager
    (track_id,) = run.writer.ids(Track, 1)
    label = run.kind_label[kind]
    investigator = rng.choice(run.investigators[kind]) if kind in run.investigators else manager
    transitions = rows["transitions"]
    events = []

    def step(action, source, target, at):
        transitions.append((track_id, action, source, target, investigator, at, ""))
        events.append(
            (
                at,
                "deviations.track_moved",
                {"track": label, "state": run.state_label[target]},
                investigator,
            )
        )

    if kind == TrackKind.NOT_DEVIATION:
        reason = rng.choice(REASONS)
        rows["tracks"].append(
            (
                track_id,
                deviation_id,
                kind,
                TrackState.CLOSED,
                reason,
                None,
                None,
                None,
                triaged_at,
                manager,
                triaged_at,
            )
        )
        transitions.append(
            (track_id, "classify", "", TrackState.CLOSED, manager, triaged_at, reason)
        )
        return {"closed_at": triaged_at, "events": events}
    transitions.append((track_id, "classify", "", TrackState.OPEN, manager, triaged_at, ""))
    stuck = 8 if rng.random() < 0.01 else 1
    started_at = triaged_at + hours(rng, START_HOURS[kind])
    decided_at = started_at + hours(rng, 24 * INVESTIGATION_DAYS[kind] * stuck, 0.8)
    closed_at = decided_at + hours(rng, 48)
    serious = serious_at = notified_at = informed_at = None
    if kind in SERIOUS_SHARE:
        base = triaged_at if kind == TrackKind.DATA_BREACH else started_at
        serious_at = base + hours(rng, 10 if kind == TrackKind.DATA_BREACH else 48, 0.8)
        if serious_at >= decided_at:
            serious_at = base + (decided_at - base) / 2
        serious = rng.random() < SERIOUS_SHARE[kind]
        if serious_at > now:
            serious = serious_at = None
        elif serious:
            ivo = kind != TrackKind.DATA_BREACH
            # Notified and informed before the track closes.
            latest = serious_at + (closed_at - serious_at) * 0.9
            notified_at = min(serious_at + hours(rng, 120 if ivo else 20, 0.7), latest)
            informed_at = min(serious_at + hours(rng, 20, 0.7), latest)
    state = TrackState.OPEN
    if started_at <= now:
        state = TrackState.INVESTIGATING
        step("start_investigation", TrackState.OPEN, state, started_at)
        if serious_at is not None:
            events.append(
                (
                    serious_at,
                    "deviations.serious_decided",
                    {"track": label, "verdict": run.verdict[serious]},
                    investigator,
                )
            )
        if decided_at <= now:
            state = TrackState.DECIDED
            step("decide", TrackState.INVESTIGATING, state, decided_at)
            if closed_at <= now:
                state = TrackState.CLOSED
                step("close", TrackState.DECIDED, state, closed_at)
    elif serious_at is not None:
        events.append(
            (
                serious_at,
                "deviations.serious_decided",
                {"track": label, "verdict": run.verdict[serious]},
                investigator,
            )
        )
    reached = {
        TrackState.OPEN: 0,
        TrackState.INVESTIGATING: 1,
        TrackState.DECIDED: 2,
        TrackState.CLOSED: 3,
    }[state]
    rows["tracks"].append(
        (
            track_id,
            deviation_id,
            kind,
            state,
            "",
            serious,
            serious_at,
            started_at if reached >= 1 else None,
            triaged_at,
            manager,
            closed_at if reached == 3 else None,
        )
    )
    if kind in RESTRICTED:
        rows["investigators"].append((track_id, investigator))
    if serious_at is not None:
        notifications(
            run,
            rows,
            case,
            track_id,
            kind,
            investigator,
            serious,
            serious_at,
            notified_at,
            informed_at,
        )
    clocks(
        run,
        rows,
        case,
        track_id,
        kind,
        serious,
        starts={
            # Generated reports are made the moment the organisation becomes aware.
            "reported": case.reported_at,
            "aware": case.reported_at,
            "triaged": triaged_at,
            "investigation_started": started_at if reached >= 1 else None,
            "serious_decided": serious_at if serious else None,
        },
        ends={
            "investigation_started": started_at if reached >= 1 else None,
            # A breach judged not serious needs no notification: its clock stops then.
            "notified": notified_at if serious else serious_at,
            "people_informed": informed_at,
            "closed": closed_at if reached == 3 else None,
        },
    )
    if reached >= 1:
        investigation(
            run, rows, case, track_id, kind, investigator, started_at, decided_at, reached >= 2
        )
    return {"closed_at": closed_at if reached == 3 else None, "events": events}


def clocks(run, rows, case, track_id, kind, serious, starts, ends):
    """The track's clocks as the services would have started and stopped them: a rule's
    clock exists once its start has happened (and, for a rule kept for serious cases,
    once the case is judged serious); it is met when its end has happened."""
    now = run.now
    for rule in run.rules.get(kind, ()):
        if rule.only_when_serious and not serious:
            continue
        start = starts.get(rule.starts)
        if start is None or start > now:
            continue
        end = ends.get(rule.ends)
        met = end if end is not None and end <= now else None
        rows["clocks"].append(
            (case.id, track_id, rule.pk, start, due_at(start, rule.amount, rule.unit), met)
        )
