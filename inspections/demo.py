"""Demo self-inspection for `load_demo`: the starter library and two years of history.

The starter library (data/starter_checklists.json) is made at the board's level, each checklist
marked as an example an organisation adapts. Plans for last year and this year are made for a
few units, and every occasion whose date has passed is carried out through the services with
answers that improve over time (a fixed seed: the same demo every time), so the charts have a
history. Some "nej" become actions, one finding is closed with a reason, one action's effect is
handed to a checklist question and recorded from the next execution, and Hemtjänst Norr leaves
one occasion overdue. Running it again changes nothing: a unit's plan for a year is made once.
"""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from actions.services import create_action
from inspections.models import ChecklistTemplate, EffectFollowUp, InspectionPlan, Method
from inspections.models.execution import FindingState
from inspections.models.plan import Frequency
from inspections.seed import load_json
from inspections.services.checklist import create_template
from inspections.services.execution import complete_execution, save_answers, start_execution
from inspections.services.finding import close_finding, make_action
from inspections.services.follow_up import hand_over
from inspections.services.plan import add_item, create_plan
from inspections.services.sample import draw_sample
from legal.models import RegulationSection
from organisation.models import OrgNode
from routines.models import Routine

ROOT = "Socialnämnden"
# unit → the manager who plans there, the person responsible for carrying out.
UNITS = {
    "Hemtjänst Norr": ("eva", "kalle"),
    "Hemtjänst Söder": ("adam", "adam"),
    "Solbackens särskilda boende": ("adam", "adam"),
    "Gruppbostaden Lärkan (LSS)": ("fia", "fia"),
}
# (checklist key, frequency, first due (month, day), sample size)
ITEMS = {
    "default": [
        ("gp_sol", Frequency.HALF_YEARLY, (2, 15), 10),
        ("medication", Frequency.QUARTERLY, (3, 10), None),
        ("hygiene", Frequency.QUARTERLY, (1, 20), None),
        ("lex_sarah", Frequency.ONCE, (9, 30), None),
        ("falls", Frequency.ONCE, (5, 15), None),
        ("nutrition", Frequency.HALF_YEARLY, (4, 1), None),
    ],
    "Gruppbostaden Lärkan (LSS)": [
        ("gp_lss", Frequency.HALF_YEARLY, (2, 15), 6),
        ("medication", Frequency.QUARTERLY, (3, 10), None),
        ("lex_sarah", Frequency.ONCE, (9, 30), None),
    ],
}


def starter_library(root):
    """The starter checklists at the board's level, made where missing: {key: template}."""
    methods = {m.code: m for m in Method.objects.all()}
    found = {}
    for spec in load_json("starter_checklists.json"):
        existing = ChecklistTemplate.objects.filter(unit=root, title=spec["title"]).first()
        if existing is not None:
            found[spec["key"]] = existing
            continue
        questions = []
        for q in spec["questions"]:
            row = {"text": q["text"]}
            if q.get("routine"):
                row["routine"] = Routine.objects.filter(title=q["routine"]).first()
            if q.get("legal"):
                code, reference = q["legal"]
                row["legal_section"] = RegulationSection.objects.filter(
                    regulation__code=code, reference=reference
                ).first()
            questions.append(row)
        found[spec["key"]] = create_template(
            actor=None,
            unit=root,
            title=spec["title"],
            purpose=spec["purpose"],
            method=methods[spec["method"]],
            questions=questions,
            is_example=True,
        )
    return found


def _reply(rng, progress):
    """Answers that improve as `progress` goes from 0 (two years ago) to 1 (today)."""
    yes = 0.55 + 0.3 * progress
    roll = rng.random()
    if roll < 0.1:
        return "na"
    if roll < 0.1 + yes * 0.9:
        return "yes"
    return "partly" if rng.random() < 0.5 else "no"


def _carry_out(occasion, item, actor, rng, today, start, state):
    performed_on = min(occasion.due_date - datetime.timedelta(days=rng.randint(0, 6)), today)
    execution = start_execution(actor=actor, occasion=occasion, performed_on=performed_on)
    if item.sample_size:
        records = "\n".join(f"{item.plan.unit.name[:2].upper()}-{n:04d}" for n in range(1, 61))
        draw_sample(
            execution, actor=actor, text=records, size=item.sample_size, seed=rng.randint(1, 10**6)
        )
    progress = (performed_on - start).days / max((today - start).days, 1)
    answers = list(execution.answers.order_by("question__order", "pk"))
    replies = {a.question_id: (_reply(rng, progress), "") for a in answers}
    save_answers(execution, actor=actor, replies=replies)
    complete_execution(execution, actor=actor)
    for finding in execution.findings.all():
        if state["actions"] < 6:
            action = make_action(
                finding,
                actor=state["manager"],
                title=f"Åtgärda: {finding.question.text[:150]}" if finding.question else "Åtgärda",
                owner=state["manager"],
                due_date=max(performed_on, today) + datetime.timedelta(days=30),
            )
            state["actions"] += 1
            if not state["handed_over"] and finding.question is not None:
                hand_over(action, actor=state["manager"], question=finding.question)
                state["handed_over"] = True
        elif finding.state == FindingState.OPEN and rng.random() < 0.5:
            close_finding(
                finding,
                actor=state["manager"],
                reason="Rättat direkt vid granskningen; ingen ytterligare åtgärd behövs.",
            )


@transaction.atomic
def load_demo_inspections():
    nodes = {n.name: n for n in OrgNode.objects.filter(is_active=True)}
    if ROOT not in nodes or "Hemtjänst Norr" not in nodes:
        return {}
    library = starter_library(nodes[ROOT])
    users = {
        u.username: u for u in User.objects.filter(username__in={"eva", "kalle", "adam", "fia"})
    }
    today = timezone.localdate()
    start = datetime.date(today.year - 1, 1, 1)
    rng = random.Random(2026)
    for unit_name, (manager_name, responsible_name) in UNITS.items():
        unit = nodes.get(unit_name)
        manager, responsible = users.get(manager_name), users.get(responsible_name)
        if unit is None or manager is None or responsible is None:
            continue
        state = {"manager": manager, "actions": 0, "handed_over": unit_name != "Hemtjänst Norr"}
        for year in (today.year - 1, today.year):
            if InspectionPlan.objects.filter(unit=unit, year=year).exists():
                continue
            plan = create_plan(actor=manager, unit=unit, year=year)
            for key, frequency, (month, day), sample in ITEMS.get(unit_name, ITEMS["default"]):
                item = add_item(
                    plan,
                    actor=manager,
                    template=library[key],
                    responsible=responsible,
                    first_due=datetime.date(year, month, day),
                    frequency=frequency,
                    sample_size=sample,
                )
                for occasion in item.occasions.order_by("due_date"):
                    late = unit_name == "Hemtjänst Norr" and key == "hygiene"
                    if occasion.due_date >= today or (
                        late
                        and year == today.year
                        and occasion.due_date > today - datetime.timedelta(days=100)
                    ):
                        continue
                    _carry_out(occasion, item, responsible, rng, today, start, state)
    _hand_over_a_deviation_action(nodes["Hemtjänst Norr"], library, users.get("eva"))
    return library


def _hand_over_a_deviation_action(unit, library, manager):
    """An action of a deviation at the unit, its effect to be checked by the next hygiene
    round (the overdue one): the chain deviation → action → self-inspection. The deviation is
    found by its content type: the inspections app never imports the deviations app."""
    if manager is None:
        return
    deviation_type = ContentType.objects.filter(app_label="deviations", model="deviation").first()
    if deviation_type is None:
        return
    waiting = EffectFollowUp.objects.filter(unit=unit, action__source_type=deviation_type).exists()
    deviation = deviation_type.model_class().objects.filter(unit=unit).order_by("pk").first()
    if waiting or deviation is None:
        return
    action = create_action(
        actor=manager,
        unit=unit,
        title="Gå igenom basala hygienrutiner på arbetsplatsträffen",
        owner=manager,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        source=deviation,
    )
    question = library["hygiene"].questions.order_by("order").first()
    hand_over(action, actor=manager, question=question)
