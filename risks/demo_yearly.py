"""The demo board's yearly risk- och väsentlighetsanalys (seed 004: the board found its risk
analyses missing): made by the quality developer at Socialförvaltningen for Socialnämnden,
decided, so that the internal control plan's demo is drafted from it."""

from datetime import date

from accounts.models import User
from organisation.models import OrgNode
from risks.models import ParticipantFunction, RiskAnalysis, Status, SubjectKind
from risks.services.analysis import create_analysis, move
from risks.services.events import add_event
from risks.services.participants import add_participant

# (what could happen, why, likelihood, consequence)
EVENTS = [
    (
        "Rutiner når inte medarbetarna",
        "Rutinerna finns i flera system och kvitteras inte",
        3,
        3,
    ),
    (
        "Avvikelser följs inte upp med åtgärder",
        "Ingen samlad uppföljning av åtgärdernas effekt",
        3,
        4,
    ),
    (
        "Lex Sarah-anmälan görs inte i tid",
        "Rapporter klassas sent under semesterperioden",
        2,
        4,
    ),
    (
        "Beslut verkställs inte inom tre månader",
        "Brist på platser i särskilt boende",
        2,
        3,
    ),
    (
        "Egenkontroller genomförs inte enligt plan",
        "Ansvaret för egenkontrollerna är otydligt",
        3,
        2,
    ),
]


def title(year):
    return f"Risk- och väsentlighetsanalys {year} (exempel)"


def load(today):
    node = OrgNode.objects.filter(name="Socialförvaltningen").first()
    karin = User.objects.filter(username="karin").first()
    if node is None or karin is None:
        return
    name = title(today.year)
    if RiskAnalysis.objects.filter(unit=node, title=name).exists():
        return
    analysis = create_analysis(
        actor=None,
        unit=node,
        title=name,
        subject_kind=SubjectKind.YEARLY,
        responsible=karin,
        description=(
            "Socialnämndens årliga analys av risker och väsentlighet, underlag för nästa års "
            "internkontrollplan. Ett exempel att ersätta med nämndens egen analys."
        ),
        health_care_in_scope=True,
        review_on=date(today.year, 10, 31),
        is_example=True,
    )
    functions = {f.code: f for f in ParticipantFunction.objects.all()}
    for person, code in (
        ("Karin Kvist, kvalitetsutvecklare", "quality"),
        ("Fia Forsberg, förvaltningschef", "unit_manager"),
        ("Maria Lind, MAS", "mas"),
    ):
        add_participant(analysis, actor=None, name=person, function=functions[code])
    for description, cause, likelihood, consequence in EVENTS:
        add_event(
            analysis,
            actor=None,
            description=description,
            cause=cause,
            likelihood=likelihood,
            consequence=consequence,
        )
    move(analysis, Status.ASSESSED, actor=None)
    move(analysis, Status.DECIDED, actor=None)
