"""`manage.py generate_inspection_scale_data`: five years of self-inspection on Skalkommunen.

On the tree of `generate_scale_data` (organisation.scale_data): six checklists at the board's
level (10–20 questions each), for every unit and year a plan with six items (hygiene monthly,
medication quarterly, record review and nutrition twice a year, lex Sarah and falls once),
every occasion whose date has passed carried out by the unit's manager, each question
answered, each "nej" a finding (the older ones closed with a reason). With 500 units that is
about 55,000 executions and 600,000 answers, written with `core.scale_data.BulkWriter` (COPY
on PostgreSQL) in one transaction; the executions carry their counts of ja / delvis / nej /
ej aktuellt, as the services keep them.
"""

import datetime
import random
import time

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleAssignment
from core.scale_data import BulkWriter, analyse, purge, refuse, since, skip_key_checks
from inspections.models import (
    Answer,
    ChecklistTemplate,
    Execution,
    ExecutionTransition,
    Finding,
    InspectionPlan,
    Method,
    Occasion,
    PlanItem,
    Question,
)
from inspections.models.plan import Frequency
from inspections.services.plan import due_dates
from organisation.models import NodeKind, OrgNode
from organisation.scale_data import ROOT_NAME, find_root

NAME = "generate_inspection_scale_data"
PREFIX = "Skala: "
# (title, method, questions, frequency, first due (month, day))
CHECKLISTS = [
    ("Basala hygienrutiner", "observation", 10, Frequency.MONTHLY, (1, 20)),
    ("Läkemedelshantering", "sampling", 10, Frequency.QUARTERLY, (2, 10)),
    ("Genomförandeplaner", "record_review", 20, Frequency.HALF_YEARLY, (3, 15)),
    ("Nutrition", "observation", 10, Frequency.HALF_YEARLY, (4, 1)),
    ("Lex Sarah på APT", "staff_attitudes", 8, Frequency.ONCE, (9, 30)),
    ("Fallprevention", "open_comparisons", 10, Frequency.ONCE, (5, 15)),
]
REPLIES = ("yes", "partly", "no", "na")


def generate(stdout, *, years=5, seed=11, clear=False, remove=False):
    refuse(NAME)
    if years < 1:
        raise CommandError("At least one year.")
    root = find_root()
    if root is None:
        raise CommandError(f"No {ROOT_NAME}: run `manage.py generate_scale_data` first.")
    started = time.monotonic()
    with transaction.atomic():
        skip_key_checks(stdout)
        existing = ChecklistTemplate.objects.filter(unit=root, title__startswith=PREFIX)
        if remove or clear:
            purge(InspectionPlan.objects.filter(unit__path__startswith=root.path))
            purge(Execution.objects.filter(unit__path__startswith=root.path))
            purge(Question.objects.filter(template__in=existing))
            # Raw: purge() would follow the templates' own link to their parent forever.
            existing._raw_delete(existing.db)
            stdout.write(f"Removed the earlier self-inspections ({since(started)}).")
            if remove:
                return None
        elif existing.exists():
            raise CommandError(f"{ROOT_NAME} already has them; run again with --clear.")
        counts = Writer(root, random.Random(seed), years).run()
    stdout.write(f"Committed ({since(started)}).")
    analyse([InspectionPlan, PlanItem, Occasion, Execution, Answer, Finding])
    summary = ", ".join(f"{model.__name__}: {n}" for model, n in counts.items())
    return f"Done in {since(started)}. {summary}"


class Writer:
    def __init__(self, root, rng, years):
        self.root = root
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.years = list(range(self.today.year - years + 1, self.today.year + 1))
        self.bulk = BulkWriter(NAME)

    def run(self):
        units = list(
            OrgNode.objects.filter(
                path__startswith=self.root.path, kind=NodeKind.UNIT, is_active=True
            ).order_by("path")
        )
        managers = dict(
            RoleAssignment.objects.filter(
                node__in=units, role__code="unit_manager", user__is_active=True
            )
            .order_by("node_id", "pk")
            .values_list("node_id", "user_id")
        )
        templates = self.checklists()
        for unit in units:
            responsible = managers.get(unit.pk)
            if responsible is not None:
                self.unit(unit, responsible, templates)
        return self.bulk.counts

    def checklists(self):
        methods = {m.code: m for m in Method.objects.all()}
        found = []
        for title, method, size, frequency, first in CHECKLISTS:
            template = ChecklistTemplate.objects.create(
                unit=self.root, title=PREFIX + title, method=methods[method], is_example=True
            )
            questions = Question.objects.bulk_create(
                [
                    Question(template=template, order=i, text=f"{title}: fråga {i}")
                    for i in range(1, size + 1)
                ]
            )
            found.append((template, [q.pk for q in questions], frequency, first))
        return found

    def unit(self, unit, responsible, templates):
        rng, bulk, today = self.rng, self.bulk, self.today
        plans, items, occasions, executions, transitions, answers, findings = ([] for _ in range(7))
        plan_ids = iter(bulk.ids(InspectionPlan, len(self.years)))
        item_ids = iter(bulk.ids(PlanItem, len(self.years) * len(templates)))
        # How well the unit does, and how fast it improves.
        base, trend = rng.uniform(0.5, 0.8), rng.uniform(0.0, 0.05)
        for year_index, year in enumerate(self.years):
            plan_id = next(plan_ids)
            plans.append((plan_id, unit.pk, year, responsible, self.now))
            for template, question_ids, frequency, (month, day) in templates:
                item_id = next(item_ids)
                items.append(
                    (
                        item_id,
                        plan_id,
                        template.pk,
                        template.title[len(PREFIX) :],
                        template.method_id,
                        frequency,
                        responsible,
                    )
                )
                dates = due_dates(year, frequency, datetime.date(year, month, day))
                occasion_ids = bulk.ids(Occasion, len(dates))
                for occasion_id, due in zip(occasion_ids, dates, strict=True):
                    if due >= today:
                        occasions.append((occasion_id, item_id, due, None))
                        continue
                    performed = due - datetime.timedelta(days=rng.randint(0, 6))
                    occasions.append((occasion_id, item_id, due, performed))
                    execution_id = bulk.ids(Execution, 1)[0]
                    yes_share = min(base + trend * year_index, 0.97)
                    counts = dict.fromkeys(REPLIES, 0)
                    answer_ids = iter(bulk.ids(Answer, len(question_ids)))
                    for question_id in question_ids:
                        roll = rng.random()
                        reply = (
                            "na"
                            if roll < 0.08
                            else "yes"
                            if roll < 0.08 + 0.92 * yes_share
                            else "partly"
                            if roll < 0.08 + 0.92 * (yes_share + (1 - yes_share) / 2)
                            else "no"
                        )
                        counts[reply] += 1
                        answers.append((next(answer_ids), execution_id, question_id, reply, ""))
                        if reply == "no":
                            closed = year < today.year
                            findings.append(
                                (
                                    execution_id,
                                    question_id,
                                    f"{template.title[len(PREFIX) :]}: nej",
                                    "closed" if closed else "open",
                                    "Rättat vid granskningen." if closed else "",
                                    self.now,
                                )
                            )
                    done_at = timezone.make_aware(
                        datetime.datetime.combine(performed, datetime.time(14))
                    )
                    executions.append(
                        (
                            execution_id,
                            unit.pk,
                            template.pk,
                            occasion_id,
                            performed,
                            responsible,
                            "completed",
                            done_at,
                            counts["yes"],
                            counts["partly"],
                            counts["no"],
                            counts["na"],
                        )
                    )
                    transitions.append((execution_id, "draft", "completed", responsible, done_at))
        bulk.write(InspectionPlan, ["id", "unit_id", "year", "created_by_id", "created_at"], plans)
        bulk.write(
            PlanItem,
            ["id", "plan_id", "template_id", "subject", "method_id", "frequency", "responsible_id"],
            items,
        )
        bulk.write(Occasion, ["id", "item_id", "due_date", "done_on"], occasions)
        bulk.write(
            Execution,
            [
                "id",
                "unit_id",
                "template_id",
                "occasion_id",
                "performed_on",
                "performed_by_id",
                "state",
                "completed_at",
                "n_yes",
                "n_partly",
                "n_no",
                "n_na",
            ],
            executions,
        )
        bulk.write(
            ExecutionTransition,
            ["execution_id", "from_state", "to_state", "actor_id", "at"],
            transitions,
        )
        bulk.write(Answer, ["id", "execution_id", "question_id", "reply", "comment"], answers)
        bulk.write(
            Finding,
            ["execution_id", "question_id", "description", "state", "closed_reason", "created_at"],
            findings,
        )
