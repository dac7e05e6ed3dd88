"""Makers shared by the risks tests."""

from datetime import timedelta

from django.utils import timezone

from risks.models import ParticipantFunction, RiskMatrix
from risks.services.analysis import create_analysis
from tests.cast import _assign, _user


def make_analysis(cast, **extra):
    fields = {
        "actor": cast.manager_a,
        "unit": cast.unit_a,
        "title": "Riskanalys inför ny bemanning",
        "subject_kind": "staffing_change",
        "responsible": cast.manager_a,
    }
    fields.update(extra)
    return create_analysis(**fields)


def function(code):
    return ParticipantFunction.objects.get(code=code)


def board_member(cast):
    nils = _user("board_member", "Nils", "Nämnd")
    _assign(nils, "board_member", cast.board, subtree=True)
    return nils


def five_by_five(root):
    """A 5×5 matrix of its own for the organisation of `root`."""
    return RiskMatrix.objects.create(
        root=root,
        name="Kommunens 5 × 5",
        likelihood_labels=["1", "2", "3", "4", "5"],
        consequence_labels=["a", "b", "c", "d", "e"],
        levels=[
            {"code": "green", "label": "Grön", "min": 1, "colour": "#00aa00"},
            {"code": "yellow", "label": "Gul", "min": 5, "colour": "#dddd00"},
            {"code": "orange", "label": "Orange", "min": 10, "colour": "#ff8800"},
            {"code": "red", "label": "Röd", "min": 15, "colour": "#cc0000"},
        ],
        top_consequence_level="",
    )


def later(days=30):
    return timezone.localdate() + timedelta(days=days)
