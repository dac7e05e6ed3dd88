"""Demo risk analyses for `load_demo`, made through the services (idempotent).

In Hemtjänst Norr (unit manager Eva): a risk analysis before a staffing change, marked as an
example an organisation edits, decided with its measures; and one of a demo process, in
progress, whose participants lack the nurse the health-care scope requires. At
Socialförvaltningen: the board's yearly risk- och väsentlighetsanalys (risks/demo_yearly.py).
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from organisation.models import OrgNode
from processes.models import Process
from risks import demo_yearly
from risks.models import ParticipantFunction, RiskAnalysis, Status, SubjectKind
from risks.services.analysis import create_analysis, move
from risks.services.events import add_event, score_residual
from risks.services.measures import add_measure
from risks.services.participants import add_participant

STAFFING = "Riskanalys inför ändrad bemanning kvällstid (exempel)"
PROCESS = "Riskanalys av läkemedelshanteringen i hemtjänsten"


def _functions():
    return {f.code: f for f in ParticipantFunction.objects.all()}


def _staffing(unit, eva, today):
    analysis = create_analysis(
        actor=None,
        unit=unit,
        title=STAFFING,
        subject_kind=SubjectKind.STAFFING_CHANGE,
        responsible=eva,
        description=(
            "Kvällspasset går från fyra till tre medarbetare från 1 mars. Analysen gäller "
            "brukarnas säkerhet och personalens arbetsmiljö. Ett exempel att anpassa."
        ),
        work_environment_in_scope=True,
        health_care_in_scope=True,
        review_on=today + timedelta(days=20),
        is_example=True,
    )
    f = _functions()
    for name, code in (
        ("Eva Ek", "unit_manager"),
        ("Sjuksköterska i hemsjukvården", "nurse"),
        ("Skyddsombud", "safety_representative"),
        ("Undersköterska", "staff"),
    ):
        add_participant(analysis, actor=None, name=name, function=f[code])
    events = [
        (
            "Besök blir försenade eller missas när någon är sjuk",
            "Ingen marginal i planeringen",
            3,
            3,
        ),
        (
            "Ensamarbete vid dubbelbemannade insatser",
            "Tre medarbetare räcker inte till två par",
            2,
            4,
        ),
        ("Läkemedel ges för sent", "Kvällens läkemedelsrundor trängs", 2, 3),
    ]
    made = [
        add_event(analysis, actor=None, description=d, cause=c, likelihood=lk, consequence=cq)
        for d, c, lk, cq in events
    ]
    add_measure(
        analysis,
        actor=None,
        event=made[1],
        title="Planera dubbelbemannade insatser före kl. 19",
        owner=eva,
        due_date=today + timedelta(days=30),
    )
    add_measure(
        analysis,
        actor=None,
        event=made[0],
        title="Reservlista för sjukfrånvaro kvällstid",
        owner=eva,
        due_date=today + timedelta(days=14),
    )
    score_residual(made[1], actor=None, likelihood=1, consequence=4)
    score_residual(made[0], actor=None, likelihood=2, consequence=3)
    move(analysis, Status.ASSESSED, actor=None)
    move(analysis, Status.DECIDED, actor=None)


def _process(unit, eva, today):
    process = Process.objects.filter(unit_id__in=unit.ancestor_ids(), is_active=True).first()
    analysis = create_analysis(
        actor=None,
        unit=unit,
        title=PROCESS,
        subject_kind=SubjectKind.PROCESS if process else SubjectKind.METHOD_CHANGE,
        process=process,
        responsible=eva,
        description="Från ordination till given dos, med signeringslistor och delegering.",
        health_care_in_scope=True,
        review_on=today + timedelta(days=180),
    )
    add_participant(analysis, actor=None, name="Eva Ek", function=_functions()["unit_manager"])
    add_event(
        analysis,
        actor=None,
        description="Dos ges av medarbetare utan giltig delegering",
        cause="Delegeringar följs inte upp när de går ut",
        likelihood=2,
        consequence=4,
    )


def load_demo_risks():
    unit = OrgNode.objects.filter(name="Hemtjänst Norr").first()
    eva = User.objects.filter(username="eva").first()
    if unit is None or eva is None:
        return
    today = timezone.localdate()
    if not RiskAnalysis.objects.filter(unit=unit, title=STAFFING).exists():
        _staffing(unit, eva, today)
    if not RiskAnalysis.objects.filter(unit=unit, title=PROCESS).exists():
        _process(unit, eva, today)
    demo_yearly.load(today)
