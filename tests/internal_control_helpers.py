"""Makers shared by the internal control tests: the board's yearly risk analysis, a plan."""

from datetime import date, timedelta

from django.utils import timezone

from internal_control.models import ControlMethod, Frequency
from internal_control.services.plans import add_control_point, approve_plan, create_plan
from risks.services.analysis import create_analysis, move
from risks.services.events import add_event
from tests.cast import _assign, _user

# (description, likelihood, consequence): values 12 (high), 8 (high), 4 (medium), 1 (low).
EVENTS = [
    ("Genomförandeplaner följs inte upp", 2, 2),
    ("Delegeringar går ut utan att förnyas", 3, 4),
    ("Fel brukare får fel insats", 1, 1),
    ("Lex Sarah-rapporter utreds för sent", 2, 4),
]


def yearly_analysis(cast, unit=None):
    """The board's yearly risk- och väsentlighetsanalys, assessed and decided."""
    analysis = create_analysis(
        actor=None,
        unit=unit or cast.board,
        title="Risk- och väsentlighetsanalys",
        subject_kind="yearly",
        responsible=cast.quality,
        review_on=timezone.localdate() + timedelta(days=200),
    )
    for description, likelihood, consequence in EVENTS:
        add_event(
            analysis,
            actor=None,
            description=description,
            likelihood=likelihood,
            consequence=consequence,
        )
    move(analysis, "assessed", actor=None)
    move(analysis, "decided", actor=None)
    return analysis


def method(code="sampling"):
    return ControlMethod.objects.get(code=code)


def this_year():
    return timezone.localdate().year


def make_plan(cast, board=None, year=None, actor="quality"):
    return create_plan(
        actor=getattr(cast, actor) if actor else None,
        board=board or cast.board,
        year=year or this_year(),
    )


def add_point(plan, cast, dates=None, what="Akter granskas", responsible=None):
    return add_control_point(
        plan,
        actor=None,
        what=what,
        method=method(),
        frequency=Frequency.TERTIAL,
        responsible=responsible or cast.manager_a,
        reporting_dates=dates or [date(plan.year, 4, 30), date(plan.year, 12, 31)],
    )


def approve(plan, actor=None):
    return approve_plan(
        plan,
        actor=actor,
        decision_paragraph="45",
        diary_number="SN 2026/123",
        decided_on=date(plan.year, 1, 20),
    )


def board_member(cast):
    nils = _user("board_member", "Nils", "Nämnd")
    _assign(nils, "board_member", cast.board, subtree=True)
    return nils
