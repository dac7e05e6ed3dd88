"""The risk matrix: the default 4×4 rule, an organisation's own 5×5, and the rule data."""

import pytest
from django.core.exceptions import ValidationError

from risks.models import RiskMatrix
from risks.models.matrix import matrix_for
from risks.rules import missing_rules
from risks.services.events import add_event
from risks.services.participants import add_participant
from tests.risks_helpers import five_by_five, function, make_analysis


def default():
    return RiskMatrix.objects.get(root=None)


@pytest.mark.django_db
def test_the_default_is_the_swedish_4x4_with_high_at_8_or_the_highest_consequence():
    matrix = default()
    assert matrix.likelihood_size == matrix.consequence_size == 4
    assert matrix.likelihood_labels[0] == "Mycket liten"
    assert matrix.consequence_labels[-1] == "Katastrofal"
    assert matrix.score(2, 4).value == 8 and matrix.score(2, 4).level == "high"
    assert matrix.score(4, 2).level == "high"  # 8: high by value
    assert matrix.score(3, 2).level == "medium"  # 6
    assert matrix.score(1, 4).value == 4 and matrix.score(1, 4).level == "high"  # top consequence
    assert matrix.score(4, 1).level == "medium"  # 4, lowest consequence
    assert matrix.score(1, 3).level == "low"  # 3
    with pytest.raises(ValueError):
        matrix.score(5, 1)


def test_a_5x5_organisation_scores_and_colours_by_its_own_thresholds(cast):
    own = five_by_five(cast.board)
    assert matrix_for(cast.unit_a) == own
    assert matrix_for(cast.other_root_node) == default()
    score = own.score(5, 3)
    assert (score.value, score.level, score.label, score.colour) == (15, "red", "Röd", "#cc0000")
    assert own.score(2, 5).level == "orange"  # 10; no rule for the highest consequence here
    assert own.score(1, 5).level == "yellow"
    assert own.score(1, 4).level == "green"
    analysis = make_analysis(cast)
    event = add_event(
        analysis, actor=cast.manager_a, description="Fall", likelihood=5, consequence=5
    )
    assert (event.value, event.level) == (25, "red")
    grid = own.grid({(5, 5): 1})
    assert len(grid) == 5 and grid[0][0] == 5  # highest consequence first
    assert grid[0][2][4][2] == 1  # the cell (5, 5) counts the event


def test_an_event_outside_the_matrix_is_refused(cast):
    analysis = make_analysis(cast)
    with pytest.raises(ValidationError):
        add_event(analysis, actor=cast.manager_a, description="X", likelihood=5, consequence=1)


@pytest.mark.django_db
def test_a_matrix_with_falling_thresholds_or_a_bad_colour_is_refused():
    matrix = default()
    matrix.levels = [
        {"code": "a", "label": "A", "min": 4, "colour": "#000000"},
        {"code": "b", "label": "B", "min": 2, "colour": "#000000"},
    ]
    with pytest.raises(ValidationError):
        matrix.clean()
    matrix.levels = [{"code": "a", "label": "A", "min": 1, "colour": "red;x"}]
    with pytest.raises(ValidationError):
        matrix.clean()


def test_the_missing_function_warning_follows_the_rule_data(cast):
    analysis = make_analysis(cast)
    assert [r.code for r in missing_rules(analysis)] == ["unit-manager"]
    analysis.health_care_in_scope = True
    analysis.work_environment_in_scope = True
    assert {r.code for r in missing_rules(analysis)} == {
        "unit-manager",
        "health-care",
        "work-environment",
    }
    add_participant(analysis, actor=cast.manager_a, name="Maja", function=function("unit_manager"))
    add_participant(analysis, actor=cast.manager_a, name="Sam", function=function("nurse"))
    assert [r.code for r in missing_rules(analysis)] == ["work-environment"]
    add_participant(
        analysis, actor=cast.manager_a, name="Sigrid", function=function("safety_representative")
    )
    assert missing_rules(analysis) == []
