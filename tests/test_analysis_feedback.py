"""The aggregated analysis takes feedback and deviations together (issue 12, point 6): the
complaints of the period and units are counted per kind of event (a feedback theme that is the
same as a kind of event on its row) and per unit beside the deviation reports, kept with the
analysis's figures and shown on its page."""

import datetime

import pytest
from django.urls import reverse

from deviations.models import EventCategory
from feedback.models import Feedback, Theme
from tests.analysis_helpers import new_analysis, new_report, reported
from tests.feedback_helpers import registered

pytestmark = pytest.mark.django_db


def _feedback(cast, unit, month, theme_code, kind="complaint"):
    feedback = registered(
        cast,
        actor=cast.manager_a if unit == cast.unit_a else cast.parent_manager,
        unit=unit,
        kind=kind,
        received_at=reported(month),
    )
    Feedback.objects.filter(pk=feedback.pk).update(theme=Theme.objects.get(code=theme_code))
    return feedback


def test_feedback_is_counted_beside_the_deviations(cast, login):
    medication = EventCategory.objects.get(code="medication")
    for month in (2, 3, 4):
        report = new_report(cast, cast.unit_a, month)
        report.category = medication
        report.save(update_fields=["category"])
    new_report(cast, cast.unit_b, 5)
    _feedback(cast, cast.unit_a, 3, "lakemedel")
    _feedback(cast, cast.unit_a, 6, "lakemedel", kind="opinion")
    _feedback(cast, cast.unit_b, 7, "mat")
    _feedback(cast, cast.unit_b, 8, "mat", kind="praise")
    outside = _feedback(cast, cast.unit_a, 9, "lakemedel")
    outside.received_at = outside.received_at.replace(year=2024)
    outside.save(update_fields=["received_at"])

    analysis = new_analysis(cast, scope=cast.administration)
    together = analysis.figures["feedback"]
    assert together["total"] == 4
    assert together["by_kind"] == {"complaint": 2, "opinion": 1, "praise": 1, "suggestion": 0}
    rows = {row["name"]: row for row in together["categories"]}
    assert rows[medication.name] == {
        "name": medication.name,
        "deviations": 3,
        "complaints": 1,
        "feedback": 2,
    }
    # A theme with no kind of event of its own has a row with no deviations.
    assert rows["Mat och måltider"]["deviations"] is None
    assert rows["Mat och måltider"]["feedback"] == 2
    # Per unit: the scope and the units directly below it, each with the units below.
    units = {row["name"]: row for row in together["units"]}
    top = units[cast.administration.name]
    assert (top["deviations"], top["complaints"], top["feedback"]) == (4, 2, 4)
    department = cast.unit_a.parent
    assert set(units) == {cast.administration.name, department.name}
    closer = new_analysis(cast, scope=department)
    units = {row["name"]: row for row in closer.figures["feedback"]["units"]}
    assert (units[cast.unit_a.name]["deviations"], units[cast.unit_a.name]["complaints"]) == (3, 1)
    assert (units[cast.unit_b.name]["deviations"], units[cast.unit_b.name]["feedback"]) == (1, 2)

    page = login(cast.quality).get(reverse("analysis:analysis_detail", args=[analysis.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and 'id="together-kinds"' in body
    assert "Klagomål och synpunkter bredvid avvikelserna" in body

    # The figures are kept as they were taken when the analysis was saved.
    _feedback(cast, cast.unit_a, 10, "lakemedel")
    analysis.refresh_from_db()
    assert analysis.figures["feedback"]["total"] == 4


def test_an_analysis_saved_before_feedback_was_counted_shows_no_such_table(cast, login):
    analysis = new_analysis(cast, scope=cast.administration)
    figures = dict(analysis.figures)
    figures.pop("feedback")
    type(analysis).objects.filter(pk=analysis.pk).update(figures=figures)
    page = login(cast.quality).get(reverse("analysis:analysis_detail", args=[analysis.pk]))
    assert page.status_code == 200 and 'id="analysis-together"' not in page.content.decode()
    assert datetime.date(2025, 1, 1) == analysis.period_from
