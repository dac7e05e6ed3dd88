"""Running `manage.py generate_risks_scale_data` on the Skalkommunen of `generate_scale_data`."""

import random
import time
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleAssignment, User
from actions.models import Action
from actions.models import Status as ActionStatus
from core.kept import changed
from core.scale_data import BulkWriter, analyse, purge, refuse, since, skip_key_checks
from organisation.models import NodeKind, OrgNode
from organisation.scale_data import ROOT_NAME, find_root
from risks.models import (
    Participant,
    ParticipantFunction,
    RiskAnalysis,
    RiskEvent,
    Status,
    SubjectKind,
)
from risks.models.matrix import matrix_for
from risks.seed import ensure_risk_data
from risks.statistics_data import TOPIC

NAME = "generate_risks_scale_data"
EVENTS = [
    "Besök missas vid sjukfrånvaro",
    "Fel läkemedel ges",
    "Fall i samband med förflyttning",
    "Ensamarbete vid hot",
    "Dokumentation saknas",
    "Information når inte anhöriga",
]
TITLES = {
    SubjectKind.PROCESS: "Riskanalys av processen för %s",
    SubjectKind.STAFFING_CHANGE: "Riskanalys inför ändrad bemanning, %s",
    SubjectKind.PREMISES_CHANGE: "Riskanalys inför flytt, %s",
    SubjectKind.TECHNOLOGY: "Riskanalys av digital tillsyn, %s",
    SubjectKind.METHOD_CHANGE: "Riskanalys av nytt arbetssätt, %s",
}


def generate(stdout, *, per_year, years, seed, clear=False, remove=False):
    """`per_year` analyses per unit and year over `years` years. Returns the closing line."""
    refuse(NAME)
    if per_year < 0 or years < 1:
        raise CommandError("per-year must be 0 or more, years 1 or more.")
    root = find_root()
    if root is None:
        raise CommandError(f"No {ROOT_NAME}: run `manage.py generate_scale_data` first.")
    started = time.monotonic()
    ensure_risk_data()
    with transaction.atomic():
        skip_key_checks(stdout)
        existing = RiskAnalysis.objects.filter(unit__path__startswith=root.path)
        if remove or clear:
            _clear(existing)
            changed(TOPIC)
            stdout.write(f"Removed the earlier risk analyses ({since(started)}).")
            if remove:
                return None
        elif existing.exists():
            raise CommandError(
                f"{ROOT_NAME} already has {existing.count()} risk analyses; "
                "run again with --clear to replace them."
            )
        writer = BulkWriter(NAME)
        _write(writer, root, random.Random(seed), per_year, years)
        changed(TOPIC)  # written past the models' signals: the kept statistics count again
    analyse([RiskAnalysis, RiskEvent, Participant, Action])
    summary = ", ".join(f"{m.__name__}: {n}" for m, n in writer.counts.items())
    return f"Done in {since(started)}. {summary}"


def _clear(analyses):
    types = ContentType.objects.get_for_models(RiskAnalysis, RiskEvent)
    events = RiskEvent.objects.filter(analysis__in=analyses).values("pk")
    purge(Action.objects.filter(source_type=types[RiskEvent], source_id__in=events))
    purge(
        Action.objects.filter(source_type=types[RiskAnalysis], source_id__in=analyses.values("pk"))
    )
    purge(analyses)


def _managers(units):
    found = {}
    for node_id, user_id in (
        RoleAssignment.objects.active()
        .filter(node__in=units, role__code="unit_manager", user__is_active=True)
        .values_list("node_id", "user_id")
        .order_by("pk")
    ):
        found.setdefault(node_id, user_id)
    return found


def _write(writer, root, rng, per_year, years):
    units = list(OrgNode.objects.filter(path__startswith=root.path, kind=NodeKind.UNIT))
    managers = _managers(units)
    fallback = User.objects.filter(username__startswith="skala-").values_list("pk", flat=True)[0]
    matrix = matrix_for(root)
    functions = dict(ParticipantFunction.objects.values_list("code", "pk"))
    event_type = ContentType.objects.get_for_model(RiskEvent)
    now = timezone.now()
    today = timezone.localdate(now)
    kinds = list(TITLES)
    analyses, participants, events, actions = [], [], [], []
    total = len(units) * per_year * years
    ids = iter(writer.ids(RiskAnalysis, total))
    event_ids = iter(writer.ids(RiskEvent, total * 3))
    for unit in units:
        manager = managers.get(unit.pk, fallback)
        for year_back in range(years):
            year = today.year - year_back
            for _n in range(per_year):
                pk = next(ids)
                kind = rng.choice(kinds)
                created = timezone.make_aware(
                    datetime(year, rng.randint(1, today.month if year_back == 0 else 12), 1, 9)
                ) + timedelta(days=rng.randint(0, 27))
                created = min(created, now)
                status = Status.DECIDED if year_back else rng.choice(list(Status))
                health = rng.random() < 0.6
                review = timezone.localdate(created) + timedelta(days=365)
                analyses.append(
                    (
                        pk,
                        TITLES[kind] % unit.name,
                        kind,
                        unit.pk,
                        health,
                        False,
                        manager,
                        status,
                        review,
                        created,
                    )
                )
                participants.append((pk, "Enhetschef", functions["unit_manager"]))
                if not health or rng.random() < 0.7:
                    participants.append((pk, "Sjuksköterska", functions["nurse"]))
                for position in range(1, 4):
                    event_pk = next(event_ids)
                    score = matrix.score(rng.randint(1, 4), rng.randint(1, 4))
                    after = matrix.score(max(1, score.likelihood - 1), score.consequence)
                    events.append(
                        (
                            event_pk,
                            pk,
                            position,
                            rng.choice(EVENTS),
                            score.likelihood,
                            score.consequence,
                            score.value,
                            score.level,
                            after.likelihood,
                            after.consequence,
                            after.value,
                            after.level,
                        )
                    )
                    if position == 1:
                        done = year_back > 0 or rng.random() < 0.4
                        actions.append(
                            (
                                unit.pk,
                                "Åtgärd efter riskanalys",
                                manager,
                                timezone.localdate(created) + timedelta(days=60),
                                ActionStatus.DONE if done else ActionStatus.PLANNED,
                                event_type.pk,
                                event_pk,
                                rng.choice(EVENTS)[:200],
                                created,
                            )
                        )
    writer.write(
        RiskAnalysis,
        [
            "id",
            "title",
            "subject_kind",
            "unit_id",
            "health_care_in_scope",
            "work_environment_in_scope",
            "responsible_id",
            "status",
            "review_on",
            "created_at",
        ],
        analyses,
    )
    writer.write(Participant, ["analysis_id", "name", "function_id"], participants)
    writer.write(
        RiskEvent,
        [
            "id",
            "analysis_id",
            "position",
            "description",
            "likelihood",
            "consequence",
            "value",
            "level",
            "residual_likelihood",
            "residual_consequence",
            "residual_value",
            "residual_level",
        ],
        events,
    )
    writer.write(
        Action,
        [
            "unit_id",
            "title",
            "owner_id",
            "due_date",
            "status",
            "source_type_id",
            "source_id",
            "source_label",
            "created_at",
        ],
        actions,
    )
