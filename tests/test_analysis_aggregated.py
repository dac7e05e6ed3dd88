"""The aggregated analysis of deviations (issue 3, point 7): snapshot, decision, measures, scope.

The dataset is built in tests/analysis_helpers.py.
"""

import datetime
import uuid
from fractions import Fraction

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from analysis import services as analysis_services
from analysis import stats
from analysis.models import AggregatedAnalysis, AnalysisStatus
from audit.models import Event
from tests.analysis_helpers import (
    END,
    START,
    _chart_values,
    _table_counts,
    build_dataset,
    frac,
    new_analysis,
    new_report,
)


def made_once_for_the_module(cast):
    """Ten reports of 2025 in units A and B (tests/analysis_helpers.py), made once per module."""
    return build_dataset(cast)


@pytest.fixture
def dataset(module_data):
    return module_data


# -- the aggregated analysis -----------------------------------------------------------------


def test_analysis_keeps_a_snapshot_of_the_figures(dataset):
    analysis = new_analysis(dataset)
    assert analysis.status == AnalysisStatus.DRAFT
    assert analysis.figures["reports"] == 10
    assert analysis.figures["deviations"] == 7
    kinds = {k["kind"]: k["count"] for k in analysis.figures["kinds"]}
    assert kinds["lex_sarah"] == 2
    kept = stats.Statistics.from_snapshot(analysis.figures)
    assert kept.reports == 10 and frac(kept.kind("other").share) == Fraction(3, 7)
    assert [u["name"] for u in analysis.figures["units"]][:2] == ["Förvaltningen", "Avdelningen"]
    assert Event.objects.filter(verb="analysis.created", object_id=str(analysis.pk)).exists()


def test_lifecycle_with_the_board_decision_and_a_measure(dataset, login):
    c = dataset
    client = login(c.quality)
    response = client.post(
        reverse("analysis:analysis_new"),
        {
            "title": "Förvaltningsövergripande analys jan–aug",
            "scope": c.administration.pk,
            "period_from": "2025-01-01",
            "period_to": "2025-08-31",
            "findings": "Avsaknad av rutiner, brister i rutiner och okunskap om rutiner.",
        },
    )
    analysis = AggregatedAnalysis.objects.get()
    assert response.status_code == 302 and response["Location"] == analysis.get_absolute_url()
    assert analysis.created_by == c.quality and analysis.figures["reports"] == 10

    # A report made later changes the live statistics; the draft takes it when saved again.
    new_report(c, c.unit_a, 7)
    response = client.post(
        reverse("analysis:analysis_edit", args=[analysis.pk]),
        {
            "title": analysis.title,
            "scope": c.administration.pk,
            "period_from": "2025-01-01",
            "period_to": "2025-08-31",
            "findings": analysis.findings + " Vakanser.",
        },
    )
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.figures["reports"] == 11 and analysis.findings.endswith("Vakanser.")

    # A measure only once decided.
    assert client.get(analysis.get_absolute_url()).context["measure_form"] is None
    response = client.post(
        reverse("analysis:analysis_decide", args=[analysis.pk]),
        {
            "decision_body": "Socialnämnden",
            "decision_date": "2025-09-25",
            "paragraph": "§ 17",
            "registry_number": "SN 2023-511",
        },
    )
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.DECIDED
    assert (analysis.decision_body, analysis.paragraph, analysis.registry_number) == (
        "Socialnämnden",
        "17",
        "SN 2023-511",
    )
    assert analysis.decision_date == datetime.date(2025, 9, 25)
    assert analysis.decision_recorded_by == c.quality

    # Decided: the text and the figures stay as they were.
    new_report(c, c.unit_a, 7)
    assert client.get(reverse("analysis:analysis_edit", args=[analysis.pk])).status_code == 302
    with pytest.raises(ValidationError):
        analysis_services.update_analysis(analysis, actor=c.quality, title="Ny")
    with pytest.raises(ValidationError):
        analysis_services.decide_analysis(
            analysis,
            actor=c.quality,
            decision_body="Socialnämnden",
            decision_date=datetime.date(2025, 9, 25),
            paragraph="18",
            registry_number="SN 1",
        )
    analysis.refresh_from_db()
    assert analysis.figures["reports"] == 11

    token = uuid.uuid4()
    measure = {
        "title": "Fastställ organisation för det systematiska kvalitetsarbetet",
        "unit": c.administration.pk,
        "owner": c.quality.pk,
        "due_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "form_token": str(token),
    }
    response = client.post(reverse("analysis:analysis_measure", args=[analysis.pk]), measure)
    assert response.status_code == 302
    # The same form twice gives one action.
    client.post(reverse("analysis:analysis_measure", args=[analysis.pk]), measure)
    action = Action.objects.for_source(analysis).get()
    assert action.source == analysis
    assert action.source_type == ContentType.objects.get_for_model(AggregatedAnalysis)
    assert action.unit == c.administration and action.form_token == token

    page = client.get(analysis.get_absolute_url())
    html = page.content.decode()
    assert 'id="measure-list"' in html and action.title in html
    assert "SN 2023-511" in html
    assert page.context["stats"].reports == 11
    assert Event.objects.filter(verb="analysis.decided", object_id=str(analysis.pk)).exists()
    assert Event.objects.filter(verb="analysis.measure_added").count() == 1
    listing = client.get(reverse("analysis:analyses")).context["analyses"]
    assert [a.measure_count for a in listing] == [1]


def test_decision_needs_body_date_paragraph_and_registry_number(dataset, login):
    analysis = new_analysis(dataset)
    client = login(dataset.quality)
    response = client.post(
        reverse("analysis:analysis_decide", args=[analysis.pk]),
        {
            "decision_body": "Socialnämnden",
            "decision_date": "",
            "paragraph": " § ",
            "registry_number": "",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"decision_date", "registry_number"}
    assert 'value="Socialnämnden"' in response.content.decode()
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.DRAFT
    with pytest.raises(ValidationError) as error:
        analysis_services.decide_analysis(
            analysis,
            actor=dataset.quality,
            decision_body="Socialnämnden",
            decision_date=timezone.localdate() + datetime.timedelta(days=3),
            paragraph="§",
            registry_number="SN 1",
        )
    assert set(error.value.message_dict) == {"decision_date", "paragraph"}


def test_invalid_analysis_form_keeps_the_input(dataset, login):
    client = login(dataset.quality)
    response = client.post(
        reverse("analysis:analysis_new"),
        {
            "title": "Halvårsanalys",
            "scope": dataset.administration.pk,
            "period_from": "2025-07-01",
            "period_to": "2025-01-01",
            "findings": "",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"period_to", "findings"}
    assert 'value="Halvårsanalys"' in response.content.decode()
    assert not AggregatedAnalysis.objects.exists()


def test_invalid_measure_form_keeps_the_input(dataset, login):
    c = dataset
    analysis = new_analysis(c)
    analysis_services.decide_analysis(
        analysis,
        actor=c.quality,
        decision_body="Socialnämnden",
        decision_date=datetime.date(2025, 9, 25),
        paragraph="17",
        registry_number="SN 2023-511",
    )
    response = login(c.quality).post(
        reverse("analysis:analysis_measure", args=[analysis.pk]),
        {"title": "Revidera rutinerna", "unit": c.unit_a.pk, "owner": "", "due_date": "x"},
    )
    assert response.status_code == 200
    assert set(response.context["measure_form"].errors) >= {"owner", "due_date", "form_token"}
    assert 'value="Revidera rutinerna"' in response.content.decode()
    assert not Action.objects.for_source(analysis).exists()


def test_writing_an_analysis_needs_manage_on_the_scope(dataset, login):
    c = dataset
    # A unit manager may read statistics but not write analyses.
    with pytest.raises(PermissionDenied):
        analysis_services.create_analysis(
            actor=c.manager_a,
            scope=c.unit_a,
            title="T",
            period_from=START,
            period_to=END,
            findings="F",
        )
    assert login(c.manager_a).get(reverse("analysis:analysis_new")).status_code == 403
    # The quality developer cannot choose a node outside their scope.
    response = login(c.quality).post(
        reverse("analysis:analysis_new"),
        {
            "title": "T",
            "scope": c.other_root_node.pk,
            "period_from": "2025-01-01",
            "period_to": "2025-12-31",
            "findings": "F",
        },
    )
    assert "scope" in response.context["form"].errors


def test_analysis_visibility_by_scope(dataset, login):
    c = dataset
    admin_wide = new_analysis(c)
    unit_a = new_analysis(c, scope=c.unit_a, title="Enhet A:s analys")
    seen = {a.pk for a in login(c.manager_a).get(reverse("analysis:analyses")).context["analyses"]}
    assert seen == {unit_a.pk}
    assert login(c.manager_a).get(unit_a.get_absolute_url()).status_code == 200
    assert login(c.manager_a).get(admin_wide.get_absolute_url()).status_code == 404
    # A reader who may not manage gets no edit, decision or measure controls.
    page = login(c.manager_a).get(unit_a.get_absolute_url())
    assert not page.context["may_edit"] and page.context["measure_form"] is None
    assert (
        login(c.manager_a).get(reverse("analysis:analysis_edit", args=[unit_a.pk])).status_code
        == 403
    )


@pytest.mark.parametrize("who", ["sibling", "other_root"])
def test_analysis_pages_are_404_outside_the_scope(dataset, login, who):
    analysis = new_analysis(dataset, scope=dataset.unit_a)
    client = login(getattr(dataset, who))
    assert client.get(analysis.get_absolute_url()).status_code == 404
    assert client.get(reverse("analysis:analyses")).status_code in (200, 403)
    if client.get(reverse("analysis:analyses")).status_code == 200:
        assert not client.get(reverse("analysis:analyses")).context["analyses"]


def test_outsider_is_refused_the_analyses(dataset, login):
    analysis = new_analysis(dataset)
    client = login(dataset.outsider)
    for url in (
        reverse("analysis:analyses"),
        reverse("analysis:analysis_new"),
        analysis.get_absolute_url(),
        reverse("analysis:analysis_edit", args=[analysis.pk]),
        reverse("analysis:analysis_decide", args=[analysis.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_analysis_detail_shows_the_kept_figures_and_history(dataset, login):
    analysis = new_analysis(dataset)
    html = login(dataset.quality).get(analysis.get_absolute_url()).content.decode()
    bars, texts = _chart_values(html, "chart-kinds")
    # The lex Maria case is hidden: nobody in the cast reads lex Maria.
    assert bars == texts == _table_counts(html, "table-kinds") == [2, 2, 3]
    assert 'id="analysis-findings"' in html
    assert "history" in html
