"""Demo deviations for `load_demo`: a handful of cases at different stages, made through the
services so every clock, event and transition is what real use would give."""

from contextlib import contextmanager
from datetime import timedelta

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.utils import timezone

from accounts.models import User
from audit.models import Event
from deviations import services
from deviations.investigation import services as investigation_services
from deviations.investigation.models import Cause
from deviations.models import Clock, Deviation, EventCategory, TrackTransition
from legal.rules import TrackKind
from organisation.models import OrgNode

CASES = [
    # (unit, reporter, hours ago, description, done at once, affected, hints, tracks, stage,
    #  (kind of event the reporter chose, kind set at classification); None: none)
    (
        "Hemtjänst Norr",
        "anna",
        30,
        "Brukaren hade inte fått sina kvällsmediciner; dosetten var orörd på morgonen.",
        "Kontaktade sjuksköterskan som bedömde läget. Brukaren mår bra.",
        "yes",
        {"hint_health_care": True},
        [TrackKind.OTHER],
        "investigating",
        ("medication", None),
    ),
    (
        "Hemtjänst Norr",
        "kalle",
        5,
        "Under ett besök lämnades brukaren ensam i duschen trots att genomförandeplanen säger "
        "att två ska hjälpa till. Brukaren halkade men skadade sig inte.",
        "Hjälpte brukaren upp och stannade kvar. Informerade enhetschefen.",
        "yes",
        {"hint_lex_sarah": True},
        [TrackKind.LEX_SARAH],
        "serious",
        (None, "fall"),
    ),
    (
        "Hemtjänst Norr",
        "anna",
        2,
        "En lista med namn och adresser till brukare glömdes kvar i ett väntrum på vårdcentralen.",
        "Hämtade listan efter 40 minuter.",
        "unknown",
        {"hint_data_breach": True},
        [TrackKind.DATA_BREACH],
        "triaged",
        (None, "other"),
    ),
    (
        "Hemtjänst Norr",
        "anna",
        1,
        "Nyckelskåpet på kontoret gick inte att låsa.",
        "Flyttade nycklarna till chefens kontor.",
        "no",
        {},
        [],
        "reported",
        (None, None),
    ),
    (
        "Hemtjänst Norr",
        "kalle",
        200,
        "Personalen önskar fler parkeringstillstånd.",
        "–",
        "no",
        {},
        [TrackKind.NOT_DEVIATION],
        "not_deviation",
        (None, None),
    ),
]


# When each step of a case is taken, counted from the report (minutes), for the history.
STEP_MINUTES = {"report": 0, "triage": 20, "start": 40, "save": 50, "serious": 55}


@contextmanager
def _dated(at, actor):
    """The demo's cases happened in the past: what a step records (events, field changes,
    transitions, deadlines met) gets the step's time instead of the moment the demo is loaded.
    The field changes name the person who took the step, as a request would, so that the history
    shows them under that person's event rather than as changes by the system."""
    started = timezone.now()
    with set_actor(actor):
        yield
    Event.objects.filter(created_at__gte=started).update(created_at=at)
    LogEntry.objects.filter(timestamp__gte=started).update(timestamp=at)
    TrackTransition.objects.filter(at__gte=started).update(at=at)
    Clock.objects.filter(met_at__gte=started).update(met_at=at)


def load_demo_deviations():
    if Deviation.objects.exists():
        return
    users = {
        u.username: u for u in User.objects.filter(username__in=["anna", "kalle", "eva", "karin"])
    }
    now = timezone.now()
    categories = {c.code: c for c in EventCategory.objects.filter(node__isnull=True)}
    for unit_name, reporter, hours, text, done, affected, hints, kinds, stage, kind in CASES:
        reported_kind, triage_kind = (categories.get(code) if code else None for code in kind)
        unit = OrgNode.objects.get(name=unit_name)
        reported_at = now - timedelta(hours=hours)

        def step(name, actor, reported_at=reported_at):
            return _dated(min(reported_at + timedelta(minutes=STEP_MINUTES[name]), now), actor)

        with step("report", users[reporter]):
            deviation = services.report(
                actor=users[reporter],
                unit=unit,
                occurred_at=reported_at - timedelta(hours=1),
                description=text,
                immediate_action=done,
                service_user_affected=affected,
                reported_at=reported_at,
                aware_at=reported_at,
                category=reported_kind,
                **hints,
            )
        if stage == "reported":
            continue
        reason = (
            "Ett önskemål om arbetsmiljö, ingen avvikelse i verksamheten."
            if (stage == "not_deviation")
            else ""
        )
        with step("triage", users["eva"]):
            tracks = services.triage(
                deviation,
                actor=users["eva"],
                kinds=kinds,
                reason=reason,
                category=triage_kind or services.KEEP,
            )
        if stage in ("investigating", "serious"):
            (track,) = tracks
            who = users["karin"] if track.kind == TrackKind.LEX_SARAH else users["eva"]
            with step("start", who):
                investigation_services.move_track(track, "start_investigation", actor=who)
            track.refresh_from_db()
            with step("save", who):
                investigation_services.save_investigation(
                    track,
                    actor=who,
                    causes=Cause.objects.filter(code="routine-not-known"),
                    cause_analysis="Genomförandeplanen var inte känd av all personal.",
                )
            if stage == "serious":
                with step("serious", who):
                    investigation_services.decide_serious(track, True, actor=who)
