"""The figures the yearly quality report reads (risks/report_figures.py)."""

from django.utils import timezone

from actions.models import Status as ActionStatus
from actions.services import change_status
from risks import report_figures
from risks.models import RiskAnalysis
from risks.services.events import add_event, score_residual
from risks.services.measures import add_measure
from risks.services.participants import add_participant
from tests.risks_helpers import function, later, make_analysis


def test_analyses_by_subject_and_required_functions_per_subtree_and_year(cast, today):
    year = today.year
    complete = make_analysis(cast, title="Med chef")
    add_participant(complete, actor=None, name="Maja", function=function("unit_manager"))
    make_analysis(cast, title="Utan sjuksköterska", health_care_in_scope=True)
    make_analysis(
        cast, actor=cast.parent_manager, unit=cast.unit_b, subject_kind="technology", title="B"
    )
    old = make_analysis(cast, title="Förra året")
    # Local time: in the first hour of 1 January the UTC year is still the old one.
    RiskAnalysis.objects.filter(pk=old.pk).update(
        created_at=timezone.localtime().replace(year=year - 1)
    )
    unit = report_figures.analyses_made(cast.unit_a, year)
    assert unit.total == 2
    assert unit.by_subject["staffing_change"] == 2 and unit.by_subject["technology"] == 0
    assert (unit.with_required_functions, unit.without_required_functions) == (1, 1)
    dept = report_figures.analyses_made(cast.dept, year)
    assert dept.total == 3 and dept.by_subject["technology"] == 1
    assert report_figures.analyses_made(cast.unit_a, year - 1).total == 1
    assert report_figures.analyses_made(cast.other_root_node, year).total == 0


def test_events_by_level_and_measures_made_and_done(cast, today):
    year = today.year
    analysis = make_analysis(cast)
    high = add_event(analysis, actor=None, description="Fall", likelihood=2, consequence=4)
    add_event(analysis, actor=None, description="Sen dos", likelihood=1, consequence=2)
    score_residual(high, actor=None, likelihood=1, consequence=2)
    levels = report_figures.events_by_level(cast.dept, year)
    assert levels == {"before": {"high": 1, "low": 1}, "after": {"low": 1}}
    done = add_measure(
        analysis, actor=None, event=high, title="Larm", owner=cast.manager_a, due_date=later()
    )
    add_measure(analysis, actor=None, title="Utbildning", owner=cast.manager_a, due_date=later())
    change_status(done, ActionStatus.IN_PROGRESS, actor=None)
    change_status(done, ActionStatus.DONE, actor=None)
    assert report_figures.measures(cast.unit_a, year) == {"made": 2, "done": 1}
    assert report_figures.measures(cast.unit_b, year) == {"made": 0, "done": 0}
