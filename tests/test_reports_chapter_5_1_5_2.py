"""Chapters 5:1 (risk analysis) and 5:2 (self-inspection and internal control) of the yearly
quality report: each figure and fact equals the register's own count for the same part of the
organisation and year, a unit's report counts only its unit (the internal control is its
board's plan), each link opens the list filtered to exactly the rows counted, and a written
report holds the three parts."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from actions.models import Action
from actions.models import Status as ActionStatus
from actions.services import change_status
from inspections.models import Answer, Execution, Finding, Occasion
from inspections.models.execution import ExecutionState, FindingState, Reply
from inspections.report_chapter import self_inspections
from inspections.services.finding import close_finding, make_action
from internal_control.forms import FilterForm
from internal_control.models import ControlResult, InternalControlPlan, Outcome, ReportingDate
from internal_control.report_chapter import internal_control
from internal_control.services.results import record_result
from reports.services.writing import start_report
from risks.forms import RegisterFilterForm
from risks.models import RiskAnalysis, RiskEvent
from risks.report_chapter import risk_analysis
from risks.services.analysis import move
from risks.services.events import add_event, score_residual
from risks.services.measures import add_measure
from risks.services.participants import add_participant
from tests.inspections_helpers import execute, plan_item, template
from tests.internal_control_helpers import add_point, approve, make_plan
from tests.risks_helpers import function, later, make_analysis

pytestmark = pytest.mark.django_db


def this_year():
    return timezone.localdate().year


def _same(value, counted):
    return value is None and counted is None or value == pytest.approx(counted)


def _query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


# Risk analysis (5:1)


def _decided(analysis):
    move(analysis, "assessed", actor=None)
    move(analysis, "decided", actor=None)


def _risks(cast):
    """Unit A: an analysis with its unit manager, a high risk scored again after a measure that
    is done and one that is not, decided; one without the nurse health care needs. Unit B: one
    with a high risk. And one made last year, decided this year, now past its review date."""
    year = this_year()
    complete = make_analysis(cast, title="Med chef", review_on=later())
    add_participant(complete, actor=None, name="Maja", function=function("unit_manager"))
    high = add_event(complete, actor=None, description="Fall", likelihood=2, consequence=4)
    add_event(complete, actor=None, description="Sen dos", likelihood=1, consequence=2)
    score_residual(high, actor=None, likelihood=1, consequence=2)
    done = add_measure(
        complete, actor=None, event=high, title="Larm", owner=cast.manager_a, due_date=later()
    )
    add_measure(complete, actor=None, title="Utbildning", owner=cast.manager_a, due_date=later())
    change_status(done, ActionStatus.IN_PROGRESS, actor=None)
    change_status(done, ActionStatus.DONE, actor=None)
    _decided(complete)
    make_analysis(cast, title="Utan sjuksköterska", health_care_in_scope=True)
    other = make_analysis(
        cast, actor=cast.parent_manager, unit=cast.unit_b, subject_kind="technology", title="B"
    )
    add_event(other, actor=None, description="Larmet tystnar", likelihood=4, consequence=4)
    old = make_analysis(cast, title="Förra året", review_on=later())
    add_event(old, actor=None, description="Nattbemanning", likelihood=3, consequence=3)
    _decided(old)
    last_year = datetime.datetime(year - 1, 6, 1, 12, tzinfo=timezone.get_current_timezone())
    RiskAnalysis.objects.filter(pk=old.pk).update(
        created_at=last_year, review_on=timezone.localdate() - datetime.timedelta(days=1)
    )


def _risk_register(scope, year):
    """The register's own counts for the subtree and year, with the ORM."""
    subtree = RiskAnalysis.objects.filter(unit__path__startswith=scope.path)
    made = subtree.filter(created_at__year=year)
    decided = set(
        subtree.filter(transitions__to_status="decided", transitions__at__year=year).values_list(
            "pk", flat=True
        )
    )
    events = RiskEvent.objects.filter(analysis__in=made)
    types = ContentType.objects.get_for_models(RiskAnalysis, RiskEvent)
    measures = Action.objects.filter(
        Q(source_type=types[RiskAnalysis], source_id__in=made.values("pk"))
        | Q(source_type=types[RiskEvent], source_id__in=events.values("pk"))
    )
    return {
        "risk_analyses": len(decided | set(made.values_list("pk", flat=True))),
        "risk_analyses_made": made.count(),
        "risk_analyses_decided": len(decided),
        "high_risks": events.filter(level="high").count(),
        "high_after": events.filter(residual_level="high").count(),
        "rescored": events.exclude(residual_level="").count(),
        "events": events.count(),
        "risk_measures": measures.count(),
        "risk_measures_done": measures.filter(
            status__in=(ActionStatus.DONE, ActionStatus.EFFECT_CHECKED)
        ).count(),
        "risk_reviews_overdue": subtree.filter(
            status="decided", review_on__lt=timezone.localdate()
        ).count(),
    }


def _register_rows(url, user):
    """The rows the risk register shows for the figure's link, by the register's own filter."""
    form = RegisterFilterForm(QueryDict(urlsplit(url).query))
    return form.filter(RiskAnalysis.objects.all(), user).count()


@pytest.mark.parametrize("scope_name", ["administration", "unit_a", "unit_b"])
def test_risk_analysis_counts_as_the_register_does(cast, scope_name):
    _risks(cast)
    scope, year = getattr(cast, scope_name), this_year()
    part = risk_analysis(scope, year)
    counted = _risk_register(scope, year)
    facts = part.facts
    for name in facts.keys() - {"risk_analyses_with_required_functions_share"}:
        assert facts[name] == counted[name], name
    made, present, missing, share, decided, *_rest = part.figures
    assert made.value == counted["risk_analyses_made"] == _register_rows(made.url, cast.quality)
    assert present.value + missing.value == made.value
    assert present.value == _register_rows(present.url, cast.quality)
    assert missing.value == _register_rows(missing.url, cast.quality)
    assert share.value == facts["risk_analyses_with_required_functions_share"]
    assert share.value == (round(present.value / made.value, 3) if made.value else None)
    assert [f.value for f in part.figures[4:]] == [
        counted["risk_analyses_decided"],
        counted["events"],
        counted["high_risks"],
        counted["high_after"],
        counted["risk_measures"],
        counted["risk_measures_done"],
        counted["risk_reviews_overdue"],
    ]
    overdue = part.figures[-1]
    assert overdue.value == _register_rows(overdue.url, cast.quality)
    statistics = part.figures[5].url
    assert _query(statistics) == {"node": str(scope.pk), "year": str(year)}
    per_unit = part.tables[2].rows
    assert sum(row[1] for row in per_unit) == made.value


def test_a_units_risk_analysis_counts_only_its_unit(cast):
    _risks(cast)
    year = this_year()
    unit_a, unit_b = risk_analysis(cast.unit_a, year).facts, risk_analysis(cast.unit_b, year).facts
    assert (unit_a["risk_analyses_made"], unit_b["risk_analyses_made"]) == (2, 1)
    assert (unit_a["risk_analyses_decided"], unit_b["risk_analyses_decided"]) == (2, 0)
    assert (unit_a["risk_analyses"], unit_a["risk_reviews_overdue"]) == (3, 1)
    assert (unit_a["high_risks"], unit_b["high_risks"]) == (1, 1)
    assert unit_a["risk_analyses_with_required_functions_share"] == 0.5
    assert unit_b["risk_measures"] == 0 and unit_a["risk_measures"] == 2
    nothing = risk_analysis(cast.other_root_node, year).facts
    assert nothing["risk_analyses"] == 0
    assert nothing["risk_analyses_with_required_functions_share"] is None
    assert risk_analysis(cast.unit_a, year - 1).facts["risk_analyses_made"] == 1


# Self-inspection (5:2)


def _inspections(cast):
    """Unit A: one occasion, carried out with two "no". Unit B: two, one carried out. The
    department: one of its own, not carried out. One finding gets an action, one is closed."""
    year = this_year()
    checklist = template(cast)
    item_a = plan_item(cast, checklist, first_due=datetime.date(year, 1, 15))
    execute(cast, ["yes", "no", "no"], item=item_a)
    for unit, due in ((cast.unit_b, (2, 1)), (cast.unit_b, (3, 1)), (cast.dept, (4, 1))):
        plan_item(
            cast,
            checklist,
            unit=unit,
            responsible=cast.parent_manager,
            first_due=datetime.date(year, *due),
        )
    first_of_b = Occasion.objects.filter(item__plan__unit=cast.unit_b).order_by("due_date")[0]
    execute(cast, ["yes", "yes", "partly"], item=first_of_b.item, occasion=first_of_b)
    with_action, closed = Finding.objects.order_by("pk")[:2]
    make_action(with_action, actor=None, title="Åtgärd", owner=cast.manager_a, due_date=later())
    close_finding(closed, actor=None, reason="Rättat på plats")


def _inspection_register(scope, year):
    occasions = Occasion.objects.filter(
        item__plan__unit__path__startswith=scope.path, due_date__year=year
    )
    planned = occasions.count()
    done = occasions.filter(done_on__isnull=False).count()
    executions = Execution.objects.filter(
        unit__path__startswith=scope.path,
        state=ExecutionState.COMPLETED,
        performed_on__year=year,
    )
    answers = Answer.objects.filter(execution__in=executions)
    answered = answers.exclude(reply=Reply.NOT_APPLICABLE).count()
    findings = Finding.objects.filter(execution__in=executions)
    return {
        "inspections_planned": planned,
        "inspections_done": done,
        "inspections_done_share": done / planned if planned else None,
        "inspections_overdue": occasions.filter(
            done_on__isnull=True, due_date__lt=timezone.localdate()
        ).count(),
        "inspections_compliance": (
            answers.filter(reply=Reply.YES).count() / answered if answered else None
        ),
        "inspection_findings": findings.count(),
        "inspection_findings_open": findings.filter(state=FindingState.OPEN).count(),
        "executions": executions.count(),
        "partly": answers.filter(reply=Reply.PARTLY).count() / answered if answered else None,
        "with_action": findings.filter(state=FindingState.ACTION).count(),
        "closed": findings.filter(state=FindingState.CLOSED).count(),
    }


@pytest.mark.parametrize("scope_name", ["administration", "dept", "unit_a", "unit_b"])
def test_self_inspection_counts_as_the_register_does(cast, scope_name):
    _inspections(cast)
    scope, year = getattr(cast, scope_name), this_year()
    part = self_inspections(scope, year)
    counted = _inspection_register(scope, year)
    for name, value in part.facts.items():
        assert _same(value, counted[name]), name
    values = [f.value for f in part.figures]
    planned, done, share, overdue, ahead, executions, compliance, partly = values[:8]
    assert (planned, done, overdue) == (
        counted["inspections_planned"],
        counted["inspections_done"],
        counted["inspections_overdue"],
    )
    assert share == part.facts["inspections_done_share"]
    assert ahead == planned - done - overdue
    assert executions == counted["executions"]
    assert compliance == part.facts["inspections_compliance"]
    assert _same(partly, counted["partly"])
    findings, with_action, closed, still_open = values[8:12]
    assert (findings, with_action, closed, still_open) == (
        counted["inspection_findings"],
        counted["with_action"],
        counted["closed"],
        counted["inspection_findings_open"],
    )
    assert _query(part.figures[6].url) == {"node": str(scope.pk)}
    per_checklist, per_unit = part.tables
    assert sum(row[1] for row in per_checklist.rows) == executions
    # The units below and the scope's own plans share the planned occasions between them.
    assert sum(row[1] for row in per_unit.rows) == (planned if per_unit.rows else 0)


def test_a_units_self_inspection_counts_only_its_unit(cast):
    _inspections(cast)
    year = this_year()
    unit_a, unit_b = self_inspections(cast.unit_a, year), self_inspections(cast.unit_b, year)
    assert (unit_a.facts["inspections_planned"], unit_a.facts["inspections_done"]) == (1, 1)
    assert (unit_b.facts["inspections_planned"], unit_b.facts["inspections_done"]) == (2, 1)
    assert unit_a.facts["inspections_compliance"] == pytest.approx(1 / 3)
    assert unit_b.facts["inspections_compliance"] == pytest.approx(2 / 3)
    dept = self_inspections(cast.dept, year)
    assert dept.facts["inspections_planned"] == 4 and dept.facts["inspections_done_share"] == 0.5
    below = {child.name for child in cast.dept.children.all()}
    own = [row[1:4] for row in dept.tables[1].rows if row[0] not in below]
    assert own == [[1, 0, int(datetime.date(year, 4, 1) < timezone.localdate())]]
    nothing = self_inspections(cast.other_root_node, year).facts
    assert nothing["inspections_done_share"] is None and nothing["inspections_compliance"] is None


# Internal control (5:2)


def _internal_control(cast):
    """The board's approved plan: a point with two reporting dates (with remark and an action,
    not done) and a point with one date and no result yet."""
    plan = make_plan(cast)
    point = add_point(plan, cast)
    add_point(plan, cast, what="Delegeringar förnyas", dates=[datetime.date(plan.year, 6, 30)])
    approve(plan)
    first, last = point.reporting_dates.order_by("due_on")
    record_result(
        first,
        actor=cast.manager_a,
        outcome=Outcome.WITH_REMARK,
        comment="Tre akter saknade uppföljning",
        action={
            "unit": cast.unit_a,
            "title": "Följ upp akterna",
            "owner": cast.manager_a,
            "due_date": later(),
        },
    )
    record_result(last, actor=cast.quality, outcome=Outcome.NOT_DONE, comment="Sjukfrånvaro")
    return plan


def test_a_part_below_the_board_is_not_judged_by_the_boards_plan(cast):
    plan = _internal_control(cast)
    part = internal_control(cast.unit_a, plan.year)
    assert set(part.facts.values()) == {None} and not part.figures
    assert cast.board.name in part.text[0]


def test_internal_control_is_the_boards_plan_as_its_register_holds_it(cast):
    plan = _internal_control(cast)
    part = internal_control(cast.board, plan.year)
    dates = ReportingDate.objects.filter(control_point__plan=plan)
    results = ControlResult.objects.filter(reporting_date__in=dates)
    carried_out = results.exclude(outcome=Outcome.NOT_DONE).count()
    actions = Action.objects.filter(
        source_type=ContentType.objects.get_for_model(ControlResult),
        source_id__in=results.values("pk"),
    )
    assert part.facts == {
        "internal_control_plan_approved": 1,
        "control_points_planned": plan.control_points.count(),
        "internal_control_reporting_dates": dates.count(),
        "internal_controls_done_share": round(carried_out / dates.count(), 3),
        "internal_controls_with_remark": results.filter(outcome=Outcome.WITH_REMARK).count(),
        "internal_controls_not_done": results.filter(outcome=Outcome.NOT_DONE).count(),
        "internal_control_actions": actions.count(),
    }
    assert part.facts["internal_controls_done_share"] == round(1 / 3, 3)
    assert [f.value for f in part.figures] == [2, 3, 2, 1, round(1 / 3, 3), 1]
    listed = FilterForm(QueryDict(urlsplit(part.figures[0].url).query)).filter(
        InternalControlPlan.objects.all()
    )
    assert list(listed) == [plan]
    assert [row[1] for row in part.tables[0].rows] == [
        results.filter(outcome=value).count() for value in Outcome.values
    ]
    assert cast.board.name in part.text[0]


def test_a_board_without_a_plan_gives_zero_and_nothing_to_read(cast):
    plan = _internal_control(cast)
    facts = internal_control(cast.other_root_node, plan.year).facts
    assert facts["internal_control_plan_approved"] == 0
    assert facts["control_points_planned"] == facts["internal_control_reporting_dates"] == 0
    assert facts["internal_controls_done_share"] is None
    assert internal_control(cast.board, plan.year - 1).facts["control_points_planned"] == 0


# The written report


def test_a_written_report_holds_chapters_5_1_and_5_2(cast, django_capture_on_commit_callbacks):
    _risks(cast)
    _inspections(cast)
    _internal_control(cast)
    scope, year = cast.board, this_year()
    with django_capture_on_commit_callbacks(execute=True):
        # The board's report: the administrator of the whole tree may write it.
        report = start_report(actor=cast.admin, kind="quality", scope=scope, year=year)
    [risks] = report.chapters.get(code="5:1").parts
    assert risks["facts"] == risk_analysis(scope, year).as_json()["facts"]
    assert risks["facts"]["risk_analyses_made"] == _risk_register(scope, year)["risk_analyses_made"]
    chapter = report.chapters.get(code="5:2")
    inspection, control = chapter.parts
    counted = _inspection_register(scope, year)
    assert inspection["facts"]["inspections_planned"] == counted["inspections_planned"] == 4
    assert inspection["facts"]["inspections_done_share"] == pytest.approx(0.5)
    assert control["facts"]["control_points_planned"] == 2
    assert chapter.facts["internal_control_plan_approved"] == 1
    assert chapter.facts["inspections_done"] == counted["inspections_done"]
