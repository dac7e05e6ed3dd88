"""Running `manage.py generate_feedback_scale_data` on the Skalkommunen of
`generate_scale_data`: feedback over ten years in every unit, written in bulk (COPY on
PostgreSQL), with the year's reference numbers taken so that new feedback continues after them.
"""

import hashlib
import random
import time
from datetime import datetime, timedelta

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from core.scale_data import BulkWriter, analyse, purge, refuse, since, skip_key_checks
from feedback.models import (
    REFERENCE_FORMAT,
    AnswerBy,
    Channel,
    Feedback,
    FeedbackTransition,
    Kind,
    ReferenceSequence,
    Status,
    Theme,
)
from organisation.models import NodeKind, OrgNode
from organisation.scale_data import ROOT_NAME, find_root

NAME = "generate_feedback_scale_data"
TEXTS = {
    Kind.COMPLAINT: [
        "Besöket kom mycket sent och ingen hörde av sig.",
        "Maten var kall och kom för sent flera dagar i rad.",
        "Min mamma fick inte sina mediciner i tid.",
        "Personalen byts ut hela tiden och ingen känner pappa.",
    ],
    Kind.OPINION: [
        "Det vore bra om besöken kom samma tid varje dag.",
        "Informationen om avgifterna är svår att förstå.",
    ],
    Kind.PRAISE: [
        "Stort tack till personalen för ett fint bemötande.",
        "Kvällspersonalen är alltid glad och hjälpsam.",
    ],
    Kind.SUGGESTION: [
        "Ni kunde ha en broschyr på flera språk.",
        "Gärna fler aktiviteter utomhus på sommaren.",
    ],
}
KINDS = [Kind.COMPLAINT] * 5 + [Kind.OPINION] * 2 + [Kind.PRAISE] * 2 + [Kind.SUGGESTION]
CHANNELS = [Channel.WEB] * 6 + [Channel.PHONE] * 2 + [Channel.LETTER, Channel.PATIENT_BOARD]


def generate(stdout, *, total, years, seed, clear=False, remove=False):
    """`total` feedback items spread over `years` years and the units. Returns the closing
    line."""
    refuse(NAME)
    if total < 0 or years < 1:
        raise CommandError("total must be 0 or more, years 1 or more.")
    root = find_root()
    if root is None:
        raise CommandError(f"No {ROOT_NAME}: run `manage.py generate_scale_data` first.")
    started = time.monotonic()
    with transaction.atomic():
        skip_key_checks(stdout)
        existing = Feedback.objects.filter(unit__path__startswith=root.path)
        if remove or clear:
            purge(existing)
            stdout.write(f"Removed the earlier feedback ({since(started)}).")
            if remove:
                return None
        elif existing.exists():
            raise CommandError(
                f"{ROOT_NAME} already has {existing.count()} feedback items; "
                "run again with --clear to replace them."
            )
        writer = BulkWriter(NAME)
        _write(writer, root, random.Random(seed), total, years)
    analyse([Feedback, FeedbackTransition])
    summary = ", ".join(f"{m.__name__}: {n}" for m, n in writer.counts.items())
    return f"Done in {since(started)}. {summary}"


def _write(writer, root, rng, total, years):
    units = list(
        OrgNode.objects.filter(path__startswith=root.path, kind=NodeKind.UNIT, is_active=True)
    )
    now = timezone.now()
    today = timezone.localdate(now)
    numbers = {
        year: ReferenceSequence.objects.get_or_create(year=year)[0].last
        for year in range(today.year - years + 1, today.year + 1)
    }
    drawn = []
    for _n in range(total):
        year_back = rng.randrange(years)
        year = today.year - year_back
        last_day = today if year_back == 0 else datetime(year, 12, 31).date()
        first_day = datetime(year, 1, 1).date()
        day = first_day + timedelta(days=rng.randrange((last_day - first_day).days + 1))
        received = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
            minutes=rng.randrange(7 * 60, 20 * 60)
        )
        drawn.append((min(received, now), year))
    # Written in the order they arrive, as feedback is: a year's rows lie together on disk.
    drawn.sort()
    themes = list(Theme.objects.values_list("pk", flat=True)) or [None]
    rows, steps = [], []
    ids = iter(writer.ids(Feedback, total))
    for received, year in drawn:
        pk = next(ids)
        numbers[year] += 1
        kind = rng.choice(KINDS)
        wants = kind != Kind.PRAISE and rng.random() < 0.7
        health = kind == Kind.COMPLAINT and rng.random() < 0.2
        acknowledge_due = received + timedelta(days=5)
        answer_due = received + timedelta(days=28) if wants else None
        age = (now - received).days
        if age > 60 or rng.random() < 0.5:
            status = Status.CLOSED
        elif age > 10:
            status = rng.choice([Status.ACKNOWLEDGED, Status.ANSWERED])
        else:
            status = rng.choice([Status.RECEIVED, Status.ACKNOWLEDGED])
        acknowledged = (
            received + timedelta(days=rng.randint(0, 6)) if status != Status.RECEIVED else None
        )
        answered = (
            received + timedelta(days=rng.randint(5, 35))
            if wants and status in (Status.ANSWERED, Status.CLOSED)
            else None
        )
        closed = (answered or acknowledged) + timedelta(days=2) if status == Status.CLOSED else None
        unit = rng.choice(units)
        rows.append(
            (
                pk,
                REFERENCE_FORMAT.format(year=year, number=numbers[year]),
                kind,
                rng.choice(CHANNELS),
                received,
                unit.pk,
                unit.pk,
                rng.choice(TEXTS[kind]),
                health,
                wants,
                AnswerBy.LINK if wants else "",
                not wants,
                status,
                acknowledge_due,
                answer_due,
                min(acknowledged, now) if acknowledged else None,
                min(answered, now) if answered else None,
                min(closed, now) if closed else None,
                "Tack, vi har ändrat rutinen." if answered else "",
                AnswerBy.LINK if answered else "",
                hashlib.sha256(f"scale-feedback-{pk}".encode()).hexdigest(),
                rng.choice(themes),
            )
        )
        if acknowledged:
            steps.append((pk, "acknowledge", Status.RECEIVED, Status.ACKNOWLEDGED, acknowledged))
    writer.write(
        Feedback,
        [
            "id",
            "reference",
            "kind",
            "channel",
            "received_at",
            "about_id",
            "unit_id",
            "description",
            "health_care",
            "wants_answer",
            "answer_by",
            "anonymous",
            "status",
            "acknowledge_due",
            "answer_due",
            "acknowledged_at",
            "answered_at",
            "closed_at",
            "answer",
            "answer_sent_by",
            "public_token_hash",
            "theme_id",
        ],
        rows,
    )
    writer.write(
        FeedbackTransition, ["feedback_id", "action", "from_status", "to_status", "at"], steps
    )
    for year, last in numbers.items():
        ReferenceSequence.objects.filter(year=year).update(last=last)
