"""Internal control plans at scale on "Skalkommunen" (organisation/scale_data.py).

One plan per year for the board (there is one plan per board and year), each with `points`
control points, three reporting dates a point and results for the dates that have passed
(about one in eight with remark, one in twenty not carried out). Made with bulk inserts; the
plans of earlier years are approved with § and Dnr.
"""

import random
import time
from datetime import date

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleAssignment
from core.scale_data import purge, refuse, since
from internal_control.models import (
    REPORT,
    ControlMethod,
    ControlPoint,
    ControlResult,
    Frequency,
    InternalControlPlan,
    Outcome,
    ReportingDate,
    Status,
)
from internal_control.seed import ensure_methods
from organisation.scale_data import find_root

WHAT = [
    "Genomförandeplaner är upprättade och uppföljda",
    "Delegeringar för läkemedelshantering är giltiga",
    "Avvikelser utreds inom fastställd tid",
    "Lex Sarah-rapporter handläggs enligt rutin",
    "Beslut om bistånd verkställs inom tre månader",
    "Journalföring sker inom föreskriven tid",
    "Basala hygienrutiner följs",
    "Riskbedömningar för fall görs vid inflyttning",
]


def generate(stdout, *, years=5, points=30, seed=11, clear=False, remove=False):
    refuse("generate_internal_control_scale_data")
    root = find_root()
    if root is None:
        raise CommandError("Run manage.py generate_scale_data first.")
    existing = InternalControlPlan.objects.filter(board=root)
    if remove or clear:
        purge(existing)
        if remove:
            return 0
    elif existing.exists():
        raise CommandError("Plans exist already: use --clear to replace them.")
    started = time.monotonic()
    ensure_methods()
    rng = random.Random(seed)
    methods = list(ControlMethod.objects.all())
    people = list(
        RoleAssignment.objects.active()
        .filter(node__path__startswith=root.path, role__permissions__key=REPORT)
        .values_list("user_id", flat=True)
        .distinct()[:200]
    )
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        for year in range(today.year - years + 1, today.year + 1):
            plan = InternalControlPlan.objects.create(
                board=root,
                year=year,
                status=Status.APPROVED,
                decision_paragraph=str(rng.randint(1, 200)),
                diary_number=f"SN {year - 1}/{rng.randint(1, 999)}",
                decided_on=date(year - 1, 12, 15),
            )
            cps = ControlPoint.objects.bulk_create(
                [
                    ControlPoint(
                        plan=plan,
                        position=i + 1,
                        what=f"{WHAT[i % len(WHAT)]} ({i + 1})",
                        risk_value=rng.randint(1, 16),
                        risk_level=rng.choice(["low", "medium", "high"]),
                        method=rng.choice(methods),
                        frequency=Frequency.TERTIAL,
                        responsible_id=rng.choice(people),
                    )
                    for i in range(points)
                ]
            )
            dates = ReportingDate.objects.bulk_create(
                [
                    ReportingDate(control_point=cp, due_on=date(year, m, d))
                    for cp in cps
                    for m, d in ((4, 30), (8, 31), (12, 31))
                ]
            )
            results = []
            for row in dates:
                if row.due_on >= today or rng.random() < 0.05:
                    continue  # not due, or left overdue
                roll = rng.random()
                outcome = (
                    Outcome.WITH_REMARK
                    if roll < 0.12
                    else Outcome.NOT_DONE
                    if roll < 0.17
                    else Outcome.WITHOUT_REMARK
                )
                results.append(
                    ControlResult(
                        reporting_date=row,
                        outcome=outcome,
                        comment="" if outcome == Outcome.WITHOUT_REMARK else "Se bilaga.",
                    )
                )
            ControlResult.objects.bulk_create(results)
            made += 1
    stdout.write(
        f"{made} internal control plans with {points} control points each ({since(started)})."
    )
    return made
