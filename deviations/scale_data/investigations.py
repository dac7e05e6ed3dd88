"""The investigations of the generated tracks, with their causes, and the actions decided in
them."""

from bisect import bisect
from datetime import datetime, timedelta

from django.utils import timezone

from actions.models import Status as ActionStatus
from deviations.investigation.models import Investigation
from deviations.models import Track
from deviations.scale_data.mix import ACTION_SHARE, ACTION_TITLES, RESTRICTED, hours


def investigation(run, rows, case, track_id, kind, investigator, started_at, decided_at, decided):
    """The track's investigation: causes once decided (half of the open ones too), the
    person concerned informed and heard in a restricted case, the decision, and in a share
    of the decided ones an action."""
    rng = run.rng
    (investigation_id,) = run.writer.ids(Investigation, 1)
    decided_at = decided_at if decided else None
    with_causes = decided or rng.random() < 0.5
    causes = []
    if with_causes:
        for _ in range(1 if rng.random() < 0.7 else 2):
            cause = run.causes[bisect(run.cause_cum, rng.random() * run.cause_cum[-1])]
            if cause not in causes:
                causes.append(cause)
    rows["causes"].extend((investigation_id, c) for c in causes)
    informed = heard = None
    not_informed = ""
    if kind in RESTRICTED and case.affected != "no":
        if rng.random() < 0.85:
            informed = timezone.localtime(started_at + hours(rng, 48)).date()
            heard = informed + timedelta(days=rng.randrange(1, 8))
        else:
            not_informed = "Ingen enskild person gick att identifiera."
    with_action = decided and rng.random() < ACTION_SHARE
    rows["investigations"].append(
        (
            investigation_id,
            track_id,
            "Enhetschef, undersköterska, sjuksköterska",
            "Rutinen var inte känd av all personal." if with_causes else "",
            informed,
            heard,
            not_informed,
            "Händelsen berodde på brister i rutinen." if decided else "",
            "Rutinen revideras och gås igenom med personalen." if decided else "",
            investigator if decided else None,
            decided_at,
            "" if with_action or not decided else "Händelsen var av engångskaraktär.",
            decided_at or started_at,
        )
    )
    if with_action:
        action(run, rows, case, track_id, kind, investigator, decided_at)


def action(run, rows, case, track_id, kind, investigator, decided_at):
    """An action of the unit, owned by its manager, as far along as its due date allows."""
    rng, unit = run.rng, case.unit
    today = timezone.localdate(run.now)
    due = timezone.localtime(decided_at).date() + timedelta(days=rng.randrange(14, 90))
    check = due + timedelta(days=60)
    if due >= today:
        status = rng.choice((ActionStatus.PLANNED, ActionStatus.IN_PROGRESS))
    else:
        status = rng.choices(
            (
                ActionStatus.EFFECT_CHECKED,
                ActionStatus.DONE,
                ActionStatus.CANCELLED,
                ActionStatus.IN_PROGRESS,
            ),
            (65, 25, 5, 5),
        )[0]
        if status == ActionStatus.EFFECT_CHECKED and check > today:
            status = ActionStatus.DONE
    completed = status in (ActionStatus.DONE, ActionStatus.EFFECT_CHECKED)
    checked = status == ActionStatus.EFFECT_CHECKED
    rows["actions"].append(
        (
            run.ct[Track],
            track_id,
            f"{case.reference} – {run.kind_label[kind]}",
            unit.pk,
            rng.choice(ACTION_TITLES),
            run.manager[unit.pk],
            due,
            status,
            datetime.combine(due, datetime.min.time(), tzinfo=run.tz) if completed else None,
            check,
            check if checked else None,
            "Följdes upp på arbetsplatsträff." if checked else "",
            rng.choice(("yes", "yes", "partly", "no")) if checked else "",
            decided_at,
            investigator,
        )
    )
