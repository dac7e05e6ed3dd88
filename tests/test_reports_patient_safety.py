"""The patient safety report (PSL 3 kap 10 §, issue 13 point 5): written on the quality report's
machinery with the law's points as its frame, from the health-care part of the registers only
(the units that have stated the health-care law, legal/health_care.py). Each figure equals the
register's own count for the same part and year; with unit A the only health-care unit, the
administration's patient-safety figures equal unit A's own figures."""

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.report_chapter import health_care_actions
from analysis.report_chapters import deviations, health_care_deviations, health_care_results
from deviations.models import Deviation
from feedback.models import Feedback
from feedback.report_chapter import complaints, health_care_complaints
from inspections.report_chapter import health_care_self_inspections, self_inspections
from legal.health_care import health_care_nodes
from legal.models import Applicability, Regulation
from reports import rules
from reports.models import Chapter, Report
from reports.services import writing
from risks.report_chapter import health_care_risk_analysis, risk_analysis
from tests.analysis_helpers import YEAR, classify, new_report, reported
from tests.feedback_helpers import registered
from tests.inspections_helpers import execute, plan_item
from tests.risks_helpers import make_analysis

pytestmark = pytest.mark.django_db


def _health_care(node):
    Applicability.objects.create(node=node, regulation=Regulation.objects.get(code="hsl"))


def test_the_health_care_part_is_what_states_the_health_care_law(cast):
    assert list(health_care_nodes(cast.administration)) == []
    nothing = health_care_deviations(cast.administration, YEAR)
    assert nothing.text and nothing.facts["reports"] == 0  # the chapter says why it is empty
    _health_care(cast.unit_a)
    assert list(health_care_nodes(cast.administration)) == [cast.unit_a]
    assert list(health_care_nodes(cast.unit_b)) == []
    # Stated above the report's part: all of it is health care.
    _health_care(cast.board)
    assert set(health_care_nodes(cast.dept)) == {
        cast.dept,
        cast.unit_a,
        cast.unit_b,
        cast.provider_node,
    }
    # Other laws do not count.
    Applicability.objects.create(
        node=cast.other_root_node, regulation=Regulation.objects.get(code="lss")
    )
    assert list(health_care_nodes(cast.other_root_node)) == []


def _dataset(cast):
    _health_care(cast.unit_a)
    for month, kinds in ((2, ["lex_maria"]), (3, ["lex_maria", "data_breach"]), (4, ["other"])):
        classify(cast, new_report(cast, cast.unit_a, month), kinds)
    classify(cast, new_report(cast, cast.unit_b, 5), ["lex_sarah"])
    classify(cast, new_report(cast, cast.unit_b, 6), ["lex_maria"])  # unit B states no HSL
    for unit, health_care in ((cast.unit_a, True), (cast.unit_b, True), (cast.unit_b, False)):
        registered(
            cast,
            actor=cast.manager_a if unit == cast.unit_a else cast.parent_manager,
            unit=unit,
            kind="complaint",
            health_care=health_care,
            received_at=reported(7),
        )


def test_the_chapters_count_the_health_care_part_only(cast, django_capture_on_commit_callbacks):
    _dataset(cast)
    with django_capture_on_commit_callbacks(execute=True):
        report = writing.start_report(
            actor=cast.quality, kind="patient_safety", scope=cast.administration, year=YEAR
        )
    report.refresh_from_db()
    assert report.title.startswith("Patientsäkerhetsberättelse")
    codes = list(report.chapters.values_list("code", flat=True))
    assert codes == [c["code"] for c in rules.chapters("patient_safety")]
    frame = Chapter.objects.get(report=report, code="ps-1")
    assert frame.citation.endswith("3 kap 10 §") and "1 mars" in frame.asks

    facts = Chapter.objects.get(report=report, code="ps-7").facts
    in_year = Deviation.objects.filter(reported_at__year=YEAR)
    assert facts["reports"] == in_year.filter(unit=cast.unit_a).count() == 3
    maria = in_year.filter(tracks__kind="lex_maria")
    assert facts["lex_maria"] == maria.filter(unit=cast.unit_a).count() == 2
    assert facts["lex_maria_outside_health_care"] == maria.exclude(unit=cast.unit_a).count() == 1
    # The same figures as the quality report's chapter of the health-care unit itself.
    whole = deviations(cast.unit_a, YEAR).facts
    assert facts["reports"] == whole["reports"] and facts["deviations"] == whole["deviations"]
    # The rule on lex Maria outside the health-care part is read and not met.
    evidence = Chapter.objects.get(report=report, code="ps-7").evidence
    outside = [e for e in evidence if e["fact"] == "lex_maria_outside_health_care"][0]
    assert outside["value"] == 1 and outside["met"] is False

    complaints_facts = Chapter.objects.get(report=report, code="ps-8").facts
    assert (
        complaints_facts["feedback_received"]
        == Feedback.objects.filter(health_care=True, received_at__year=YEAR).count()
        == 2
    )
    assert complaints(cast.administration, YEAR).facts["feedback_received"] == 3


def test_results_compare_with_the_year_before(cast):
    _health_care(cast.unit_a)
    classify(cast, new_report(cast, cast.unit_a, 3), ["other"])
    previous = Deviation.objects.get()
    Deviation.objects.filter(pk=previous.pk).update(
        reported_at=previous.reported_at.replace(year=YEAR - 1)
    )
    classify(cast, new_report(cast, cast.unit_a, 4), ["lex_maria"])
    classify(cast, new_report(cast, cast.unit_a, 5), ["other"])
    part = health_care_results(cast.administration, YEAR)
    assert part.facts["health_care_reports"] == 2
    assert part.facts["health_care_reports_before"] == 1
    assert part.facts["lex_maria"] == 1 and part.facts["lex_maria_before"] == 0
    rows = part.tables[0].rows
    assert sum(row[1] for row in rows) == 2 and sum(row[2] for row in rows) == 1


def test_risks_inspections_and_actions_of_the_health_care_part(cast, login):
    year = timezone.localdate().year
    _health_care(cast.unit_a)
    make_analysis(cast, title="Fallrisk")
    make_analysis(
        cast,
        title="Bemanning B",
        unit=cast.unit_b,
        responsible=cast.parent_manager,
        actor=cast.parent_manager,
    )
    execute(cast, ["yes", "no", "yes"], item=plan_item(cast, unit=cast.unit_a))
    execute(
        cast,
        ["yes", "yes", "yes"],
        item=plan_item(cast, unit=cast.unit_b, responsible=cast.parent_manager),
    )

    risks = health_care_risk_analysis(cast.administration, year)
    assert risks.facts == risk_analysis(cast.unit_a, year).facts
    assert risks.facts["risk_analyses_made"] == 1
    assert risk_analysis(cast.administration, year).facts["risk_analyses_made"] == 2
    # The register lists exactly the analyses counted; the statistics know no health-care part.
    made = next(f for f in risks.figures if f.value == 1 and "health_care=on" in f.url)
    page = login(cast.quality).get(made.url)
    assert [a.title for a in page.context["page"].object_list] == ["Fallrisk"]
    assert all("risks/statistics" not in figure.url for figure in risks.figures)

    inspections = health_care_self_inspections(cast.administration, year)
    assert inspections.facts == self_inspections(cast.unit_a, year).facts
    assert (
        self_inspections(cast.administration, year).facts["inspections_planned"]
        > (inspections.facts["inspections_planned"])
    )
    units = [row[0] for row in inspections.tables[1].rows]
    assert units == ["Avdelningen"]  # the one branch with health care, none without

    actions = health_care_actions(cast.administration, year)
    from actions.models import Action

    counted = Action.objects.filter(unit=cast.unit_a, created_at__year=year).count()
    assert actions.facts["health_care_actions_decided"] == counted


def test_health_care_complaints_are_those_marked_so(cast, login):
    registered(cast, kind="complaint", health_care=True, received_at=reported(3))
    registered(cast, kind="opinion", health_care=False, received_at=reported(3))
    part = health_care_complaints(cast.administration, YEAR)
    assert part.facts["feedback_received"] == 1
    received = part.figures[0]
    listed = login(cast.quality).get(received.url).context["page"].object_list
    assert [f.kind for f in listed] == ["complaint"] and received.value == 1


def test_the_mas_starts_it_from_the_page(cast, login, django_capture_on_commit_callbacks):
    _health_care(cast.unit_a)
    client = login(cast.quality)
    page = client.get(reverse("reports:new"))
    assert "Patientsäkerhetsberättelse" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:new"),
            {"kind": "patient_safety", "scope": cast.administration.pk, "year": YEAR},
        )
    report = Report.objects.get()
    assert response.status_code == 302 and report.kind == "patient_safety"
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Avvikelser och lex Maria" in page and "Resultat" in page


def _moment(year, month, day):
    import datetime

    return datetime.datetime(year, month, day, 9, 0, tzinfo=timezone.get_current_timezone())


def test_the_mas_is_reminded_to_start_it_before_1_march(
    cast, login, django_capture_on_commit_callbacks
):
    """The yearly work: from the lead days of reports/data/due.json before 1 March, the MAS
    finds "start the patient safety report" in Mina uppgifter, linking to the form with the
    kind, part and year chosen, until it is started; not where no unit gives health care."""
    from accounts.models import Role, RoleAssignment
    from reports.due import due_for
    from reports.inbox import start_section
    from tests.cast import _user

    mas = _user("mas", "Mona", "Mas")
    RoleAssignment.objects.create(
        user=mas, role=Role.objects.get(code="mas"), node=cast.administration, include_subtree=True
    )
    year = YEAR + 1
    assert due_for("patient_safety", YEAR).on.isoformat() == f"{year}-03-01"
    assert start_section(mas, _moment(year, 2, 1)) is None  # no unit states health care
    _health_care(cast.unit_a)
    section = start_section(mas, _moment(year, 2, 1))
    [item] = section.items
    assert item.due.isoformat() == f"{year}-03-01" and not item.overdue
    assert "kind=patient_safety" in item.url and f"scope={cast.administration.pk}" in item.url
    assert start_section(mas, _moment(year, 3, 5)).items[0].overdue
    # Never started: it stays, overdue, for the rest of the year of its date.
    assert start_section(mas, _moment(year, 11, 5)).items[0].overdue
    # The quality report's reminder starts its lead days before its local target date.
    quality = due_for("quality", YEAR).on
    assert start_section(cast.quality, _moment(year, 1, 5)) is None
    [other] = start_section(cast.quality, _moment(year, quality.month, quality.day - 1)).items
    assert "kind=quality" in other.url and other.due == quality
    # Nobody else's role is reminded of it: the unit manager writes no patient safety report.
    assert start_section(cast.manager_a, _moment(year, 2, 1)) is None
    # The link opens the form with the choices made.
    client = login(mas)
    page = client.get(item.url)
    assert page.context["form"].initial["kind"] == "patient_safety"
    with django_capture_on_commit_callbacks(execute=True):
        writing.start_report(actor=mas, kind="patient_safety", scope=cast.administration, year=YEAR)
    assert start_section(mas, _moment(year, 2, 1)) is None


def test_the_overdue_self_inspections_open_in_the_list(cast, login, today):
    """The figure "not carried out, past their date" opens the occasions list with exactly
    those rows: the whole part in the quality report, the health-care part in the other."""
    import datetime

    from inspections.models import Occasion

    _health_care(cast.unit_a)
    year = today.year - 1
    plan_item(cast, unit=cast.unit_a)
    plan_item(cast, unit=cast.unit_b, responsible=cast.parent_manager)
    Occasion.objects.update(due_date=datetime.date(year, 6, 1))
    client = login(cast.quality)
    for part, expected in (
        (self_inspections(cast.administration, year), 2),
        (health_care_self_inspections(cast.administration, year), 1),
    ):
        figure = next(f for f in part.figures if "state=overdue" in f.url)
        assert (
            figure.value
            == expected
            == Occasion.objects.filter(
                pk__in=[o.pk for o in client.get(figure.url).context["page"].object_list]
            ).count()
        )
