"""The yearly report written from the registers (issue 13, first increment): a quality report
for a part of the organisation and a year is written in the background, chapter by chapter of
SOSFS 2011:9; each figure equals the register's own count for the same scope and year; a
unit manager's report covers only their unit; verdicts are proposed by rules that are data; a
module adds its chapter through the registry without a change to the reports app."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core import chapters as registry
from core.chapters import Figure, Part
from deviations.models import Deviation
from feedback.models import Feedback
from feedback.statistics import year_figures
from reports import rules
from reports.models import Chapter, Generation, Report, Verdict
from reports.services import writing
from tests.analysis_helpers import YEAR, classify, new_report, reported
from tests.feedback_helpers import registered

pytestmark = pytest.mark.django_db


def _write(cast, django_capture_on_commit_callbacks, actor=None, scope=None):
    with django_capture_on_commit_callbacks(execute=True):
        report = writing.start_report(
            actor=actor or cast.quality,
            kind="quality",
            scope=scope or cast.administration,
            year=YEAR,
        )
    report.refresh_from_db()
    return report


def _dataset(cast):
    for month in (2, 3):
        deviation = new_report(cast, cast.unit_a, month)
        classify(cast, deviation, ["lex_sarah"])
    classify(cast, new_report(cast, cast.unit_b, 4), ["other"])
    new_report(cast, cast.unit_b, 5)  # still waiting to be classified
    for unit, kind in ((cast.unit_a, "complaint"), (cast.unit_b, "opinion")):
        registered(
            cast,
            actor=cast.manager_a if unit == cast.unit_a else cast.parent_manager,
            unit=unit,
            kind=kind,
            received_at=reported(6),
        )


def _facts(report, code):
    return Chapter.objects.get(report=report, code=code).facts


def test_a_report_is_written_chapter_by_chapter_with_the_registers_counts(
    cast, django_capture_on_commit_callbacks
):
    _dataset(cast)
    report = _write(cast, django_capture_on_commit_callbacks)
    assert report.generation == Generation.DONE and report.generated_at is not None
    codes = list(report.chapters.values_list("code", flat=True))
    assert codes == [c["code"] for c in rules.chapters("quality")]
    assert report.chapters_done == report.chapters_total == len(codes)

    in_year = Deviation.objects.filter(
        unit__path__startswith=cast.administration.path, reported_at__year=YEAR
    )
    deviations = _facts(report, "5:4-5")
    assert deviations["reports"] == in_year.count() == 4
    assert deviations["lex_sarah"] == in_year.filter(tracks__kind="lex_sarah").count() == 2
    assert deviations["unclassified"] == in_year.filter(status="reported").count() == 1
    feedback = _facts(report, "5:3")
    counted = year_figures(cast.administration, [YEAR])[YEAR]
    assert feedback["feedback_received"] == counted.total == 2
    assert feedback["complaints"] == Feedback.objects.filter(kind="complaint").count() == 1

    chapter = Chapter.objects.get(report=report, code="5:4-5")
    assert chapter.citation.endswith("5 kap 4–5 §§") and "lex Sarah" in chapter.asks
    # One report is still waiting to be classified: that rule is not met.
    unmet = [e for e in chapter.evidence if e["fact"] == "unclassified"]
    assert unmet[0]["met"] is False and chapter.proposed in (Verdict.PARTLY, Verdict.FAILS)


def test_a_unit_managers_report_covers_only_their_unit(cast, django_capture_on_commit_callbacks):
    _dataset(cast)
    with pytest.raises(PermissionDenied):
        writing.start_report(
            actor=cast.manager_a, kind="quality", scope=cast.unit_a.parent, year=YEAR
        )
    report = _write(
        cast, django_capture_on_commit_callbacks, actor=cast.manager_a, scope=cast.unit_a
    )
    assert _facts(report, "5:4-5")["reports"] == 2
    assert _facts(report, "5:3")["feedback_received"] == 1
    with pytest.raises(ValidationError):  # one report per kind, part and year
        writing.start_report(actor=cast.manager_a, kind="quality", scope=cast.unit_a, year=YEAR)


def test_verdicts_are_proposed_by_rules_that_are_data():
    rule_set = [
        {"fact": "a", "at_least": 0.9, "says": "A"},
        {"fact": "b", "equals": 0, "says": "B"},
    ]
    assert rules.propose(rule_set, {"a": 0.95, "b": 0})[0] == Verdict.MEETS
    assert rules.propose(rule_set, {"a": 0.5, "b": 0})[0] == Verdict.PARTLY
    assert rules.propose(rule_set, {"a": 0.5, "b": 3})[0] == Verdict.FAILS
    verdict, evidence = rules.propose(rule_set, {"a": None})
    assert verdict == "" and [e["met"] for e in evidence] == [None, None]
    # A fact not given does not count against the others.
    assert rules.propose(rule_set, {"a": 0.95})[0] == Verdict.MEETS


def test_a_later_module_adds_its_chapter_through_the_registry(
    cast, django_capture_on_commit_callbacks
):
    def documentation(scope, year):
        return Part(heading="Journalgranskning", figures=[Figure("Granskade journaler", 12)])

    registry.report_chapter("7", documentation, order=10)
    try:
        report = _write(cast, django_capture_on_commit_callbacks)
    finally:
        registry._SOURCES.pop(("7", documentation))
    parts = Chapter.objects.get(report=report, code="7").parts
    assert parts[0]["heading"] == "Journalgranskning" and parts[0]["figures"][0]["value"] == 12


def test_writing_again_keeps_the_text_and_a_failure_is_shown(
    cast, django_capture_on_commit_callbacks, login, monkeypatch
):
    report = _write(cast, django_capture_on_commit_callbacks)
    Chapter.objects.filter(report=report, code="focus").update(narrative="Rutinerna först.")

    def broken(scope, year):
        raise RuntimeError("the register did not answer")

    registry.report_chapter("6", broken, order=10)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            writing.rewrite(report, actor=cast.quality)
    finally:
        registry._SOURCES.pop(("6", broken))
    report.refresh_from_db()
    assert report.generation == Generation.FAILED
    page = login(cast.quality).get(report.get_absolute_url()).content.decode()
    assert 'id="report-failed"' in page
    with django_capture_on_commit_callbacks(execute=True):
        writing.rewrite(report, actor=cast.quality)
    report.refresh_from_db()
    assert report.generation == Generation.DONE
    assert Chapter.objects.get(report=report, code="focus").narrative == "Rutinerna först."


def test_the_pages_and_who_reaches_them(cast, login, django_capture_on_commit_callbacks):
    client = login(cast.quality)
    assert client.get(reverse("reports:new")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:new"),
            {"kind": "quality", "scope": cast.administration.pk, "year": YEAR},
        )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    again = client.post(
        reverse("reports:new"), {"kind": "quality", "scope": cast.administration.pk, "year": YEAR}
    )
    assert again.status_code == 200 and "Det finns redan" in again.content.decode()
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Klagomål och synpunkter" in page and "Vad föreskrifterna kräver" in page
    assert 'id="report-contents"' in page
    assert 'hx-trigger="every 1s"' not in page  # written: nothing to wait for
    listing = client.get(reverse("reports:list")).content.decode()
    assert report.get_absolute_url() in listing

    manager = login(cast.manager_a)
    assert manager.get(report.get_absolute_url()).status_code == 404  # above their unit
    assert report.get_absolute_url() not in manager.get(reverse("reports:list")).content.decode()
    for person in (cast.sibling, cast.outsider):
        client = login(person)
        assert client.get(report.get_absolute_url()).status_code in (403, 404)
        assert client.get(reverse("reports:progress", args=[report.pk])).status_code in (403, 404)
    assert login(cast.sibling).post(reverse("reports:rewrite", args=[report.pk])).status_code in (
        403,
        404,
    )


def test_the_owner_confirms_or_overrides_a_verdict_with_a_reason(
    cast, login, django_capture_on_commit_callbacks
):
    from reports.services.judging import judge

    _dataset(cast)
    report = _write(cast, django_capture_on_commit_callbacks)
    chapter = Chapter.objects.get(report=report, code="5:4-5")
    other = next(v for v in Verdict.values if v != chapter.proposed)
    client = login(cast.quality)
    url = reverse("reports:judge", args=[report.pk, chapter.pk])
    prefix = f"chapter-{chapter.pk}"
    refused = client.post(url, {f"{prefix}-verdict": other, f"{prefix}-reason": ""})
    assert refused.status_code == 200 and "Skriv varför" in refused.content.decode()
    chapter.refresh_from_db()
    assert chapter.verdict == ""
    done = client.post(
        url, {f"{prefix}-verdict": other, f"{prefix}-reason": "Rapporten klassades i januari."}
    )
    assert done.status_code == 302
    chapter.refresh_from_db()
    assert (chapter.verdict, chapter.verdict_by, chapter.overridden) == (other, cast.quality, True)
    assert chapter.verdict_reason == "Rapporten klassades i januari."
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Rapporten klassades i januari." in page
    # Writing the figures again keeps the judgment and its reason.
    with django_capture_on_commit_callbacks(execute=True):
        writing.rewrite(report, actor=cast.quality)
    chapter.refresh_from_db()
    assert chapter.verdict == other and chapter.verdict_reason
    # With no proposal there is nothing to confirm: any verdict needs its reason.
    unproposed = Chapter.objects.get(report=report, code="7")
    assert unproposed.proposed == ""
    with pytest.raises(ValidationError):
        judge(unproposed, actor=cast.quality, verdict="meets")
    # Confirming the proposal needs no reason.
    proposed = Chapter.objects.exclude(proposed="").filter(report=report).first()
    confirmed = judge(proposed, actor=cast.quality, verdict=proposed.proposed)
    assert confirmed.overridden is False and confirmed.verdict_reason == ""
    with pytest.raises(PermissionDenied):
        judge(chapter, actor=cast.sibling, verdict=other, reason="x")
    assert login(cast.sibling).post(url, {f"{prefix}-verdict": other}).status_code in (403, 404)
