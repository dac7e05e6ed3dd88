"""The yearly reports on the start page and in Mina uppgifter: each figure is the row count of
the list it opens (the chapters to write, to judge; the reports in review), shown only to those
it concerns; a named author has their chapter as a task until its text is written, the writers
the report in review until the board's decision; each due by the report's date from the data
(1 March for the patient safety report, PSL 3 kap 10 §), with reminders by e-mail."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.due import due_for, due_of
from reports.models import (
    Chapter,
    Generation,
    Report,
    ReportKind,
    ReportReminder,
    Stage,
    Verdict,
)
from reports.reminders import due_at, send_report_reminders
from reports.services import chapters as together
from reports.services import decision
from reports.services.judging import judge
from reports.work import chapters_to_write
from tests.cast import _assign, _user

pytestmark = pytest.mark.django_db

START = reverse("shell:start")
INBOX = reverse("notifications:inbox")
CHAPTERS = reverse("reports:chapters")
YEAR = 2025  # a fixed past year: read at import, the clock would go stale at New Year


def _report(scope, kind="quality", stage=Stage.DRAFT, year=YEAR, generation=Generation.DONE):
    return Report.objects.create(
        kind=kind,
        scope=scope,
        year=year,
        title=f"{kind} {year}: {scope.name}",
        stage=stage,
        generation=generation,
    )


def _chapter(report, code, authors=(), narrative="", verdict=""):
    chapter = Chapter.objects.create(
        report=report,
        code=code,
        order=len(code),
        title=f"Kapitel {code}",
        narrative=narrative,
        verdict=verdict,
    )
    chapter.authors.set(authors)
    return chapter


def _people(cast):
    """alice: a board member who reads every report and is a named author; bob: the department
    manager, who writes the department's reports; charlie: unit B's manager, who writes only
    unit B's."""
    alice = _user("alice", "Alice", "Author")
    _assign(alice, "board_member", cast.board, subtree=True)
    charlie = _user("charlie", "Charlie", "Chef")
    _assign(charlie, "unit_manager", cast.unit_b, subtree=True)
    return alice, cast.parent_manager, charlie


def _world(cast):
    alice, bob, charlie = _people(cast)
    draft = _report(cast.dept)
    rows = {
        "alice_writes": _chapter(draft, "3", authors=[alice]),
        "nobody_named": _chapter(draft, "4"),
        "written": _chapter(draft, "5:1", narrative="Klart.", verdict=Verdict.MEETS),
        "bob_writes": _chapter(draft, "5:2", authors=[bob], verdict=Verdict.PARTLY),
    }
    in_review = _report(cast.dept, kind="patient_safety", stage=Stage.IN_REVIEW)
    _chapter(in_review, "1", authors=[alice])  # not a draft: no longer to write
    # Being written again: its chapters wait until the writing is done.
    rewriting = _report(cast.dept, year=YEAR - 1, generation=Generation.QUEUED)
    _chapter(rewriting, "3")
    # Another tree: no one here reads it.
    _chapter(_report(cast.other_root_node), "3")
    return alice, bob, charlie, draft, in_review, rows


def _figures(client):
    response = client.get(START)
    assert response.status_code == 200
    return {
        f.name: f
        for group in response.context["figure_groups"]
        for f in group.figures
        if f.name.startswith("reports.")
    }


def _rows(client, figure):
    response = client.get(figure.url)
    assert response.status_code == 200, figure.url
    if figure.name == "reports.to_review":
        return {r.pk for r in response.context["reports"]}
    assert response.context["page"].paginator.count == len(response.context["page"].object_list)
    return {c.pk for c in response.context["page"].object_list}


def _sections(client):
    return {s.key: s for s in client.get(INBOX).context["sections"]}


def test_each_figure_counts_exactly_the_rows_of_its_list(cast, login):
    alice, bob, charlie, _draft, in_review, rows = _world(cast)
    expected = {
        alice: {"reports.to_write": {rows["alice_writes"].pk}},
        bob: {
            "reports.to_write": {rows["nobody_named"].pk, rows["bob_writes"].pk},
            "reports.to_judge": {rows["alice_writes"].pk, rows["nobody_named"].pk},
            "reports.to_review": {in_review.pk},
        },
        charlie: {},
        cast.outsider: {},
    }
    for person, wanted in expected.items():
        client = login(person)
        shown = _figures(client)
        assert set(shown) == set(wanted), person
        for name, figure in shown.items():
            found = _rows(client, figure)
            assert figure.count == len(found), (person, name)
            assert found == wanted[name], (person, name)


def test_the_chapters_to_write_are_those_whose_text_the_person_may_write(cast):
    alice, bob, charlie, draft, _in_review, _rows = _world(cast)
    # Named at a unit within the report's part of the organisation: a possible author.
    _chapter(draft, "6", authors=[cast.manager_a])
    _chapter(draft, "7", authors=[cast.sibling])  # no longer one who may be named
    chapters = list(Chapter.objects.filter(report__stage=Stage.DRAFT, report__generation="done"))
    people = [alice, bob, charlie, cast.manager_a, cast.quality, cast.admin, cast.log_reviewer]
    people += [cast.same_unit, cast.sibling, cast.outsider, cast.other_root]
    answers = set()
    for person in people:
        listed = set(chapters_to_write(person).values_list("pk", flat=True))
        for chapter in chapters:
            may = not chapter.narrative and together.may_write_text(person, chapter)
            assert (chapter.pk in listed) == may, (person, chapter.code)
            answers.add(may)
    assert answers == {True, False}


def test_the_unfiltered_chapter_list_is_both_and_named_narrows_to_ones_own(cast, login):
    _alice, bob, _charlie, _draft, _in_review, rows = _world(cast)
    client = login(bob)
    everything = client.get(CHAPTERS).context["page"].paginator.count
    assert everything == 3  # to write: 4, 5:2; to judge: 3, 4
    named = client.get(CHAPTERS, {"show": "to_write", "named": "on"}).context["page"]
    assert [c.pk for c in named.object_list] == [rows["bob_writes"].pk]
    html = client.get(CHAPTERS, {"show": "to_judge"}).content.decode()
    assert f'data-pk="{rows["alice_writes"].pk}"' in html
    assert f'data-pk="{rows["written"].pk}"' not in html


def test_a_figure_leaves_when_its_work_is_done(cast, login):
    alice, bob, _charlie, draft, in_review, rows = _world(cast)
    together.write_text(rows["nobody_named"], actor=bob, narrative="Rutinerna är kända.")
    judge(rows["alice_writes"], actor=bob, verdict=Verdict.MEETS, reason="Uppfyller.")
    judge(rows["nobody_named"], actor=bob, verdict=Verdict.MEETS, reason="Uppfyller.")
    shown = _figures(login(bob))
    assert shown["reports.to_write"].count == 1
    assert "reports.to_judge" not in shown  # nothing left: not shown at 0
    decision.approve(
        in_review,
        actor=bob,
        decision_body="Socialnämnden",
        decision_date=timezone.localdate(),
        paragraph="12",
        registry_number="SN 2026/12",
    )
    assert "reports.to_review" not in _figures(login(bob))
    decision.send_for_review(draft, actor=bob)
    # In review, no chapter is left to write: the review is.
    shown = _figures(login(bob))
    assert set(shown) == {"reports.to_review"}
    assert "reports.to_write" not in _figures(login(alice))


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url, params",
    [
        (CHAPTERS, {}),
        (CHAPTERS, {"show": "to_write"}),
        (reverse("reports:list"), {"show": "to_review"}),
    ],
)
def test_the_lists_read_a_fixed_number_of_queries(
    cast, login, django_assert_max_num_queries, url, params
):
    _alice, bob, _charlie, _draft, _in_review, _rows = _world(cast)
    client = login(bob)
    few = _queries(client, url, params)
    for year in range(YEAR - 6, YEAR - 1):
        more = _report(cast.dept, year=year)
        for code in ("3", "4", "5:1"):
            _chapter(more, code, authors=[bob, cast.quality])
        _report(cast.dept, kind="patient_safety", stage=Stage.IN_REVIEW, year=year)
    assert _queries(client, url, params) == few
    with django_assert_max_num_queries(15):
        client.get(url, params)


def test_a_named_author_has_the_chapter_as_a_task_until_it_is_written(cast, login):
    alice, bob, _charlie, draft, _in_review, rows = _world(cast)
    client = login(alice)
    section = _sections(client)["report_chapters"]
    (item,) = section.items
    chapter = rows["alice_writes"]
    assert item.url == reverse("reports:chapter_text", args=[draft.pk, chapter.pk])
    assert (item.case, item.detail) == (chapter.title, draft.title)
    due = due_for("quality", YEAR)
    assert (item.due, item.due_note) == (due.on, due.note)
    assert not due.law  # the quality report's date is the organisation's own target
    assert item.overdue == (due.on < timezone.localdate())
    assert client.get(item.url).status_code == 200
    # Named for a second chapter: a second task, which the writers no longer have.
    together.set_authors(rows["nobody_named"], actor=bob, authors=[alice])
    assert len(_sections(client)["report_chapters"].items) == 2
    assert rows["nobody_named"].pk not in _rows(
        login(bob), _figures(login(bob))["reports.to_write"]
    )
    for chapter in (rows["alice_writes"], rows["nobody_named"]):
        together.write_text(chapter, actor=alice, narrative="Skrivet.")
    assert "report_chapters" not in _sections(login(alice))
    # Writers who are not named get the figure, not a task per chapter.
    assert "report_chapters" in _sections(login(bob))  # bob is named for 5:2


def test_the_writers_have_the_report_in_review_until_the_board_decides(cast, login):
    alice, bob, charlie, _draft, in_review, _rows = _world(cast)
    section = _sections(login(bob))["report_review"]
    (item,) = section.items
    assert item.url == in_review.get_absolute_url()
    # The patient safety report: by 1 March of the year after, by law.
    assert item.due == date(YEAR + 1, 3, 1) == due_of(in_review).on
    assert due_of(in_review).law and item.due_note == due_of(in_review).note
    for person in (alice, charlie, cast.outsider):
        assert "report_review" not in _sections(login(person))
    decision.back_to_draft(in_review, actor=bob, reason="Mer text behövs.")
    assert "report_review" not in _sections(login(bob))
    decision.send_for_review(in_review, actor=bob)
    assert "report_review" in _sections(login(bob))
    decision.approve(
        in_review,
        actor=bob,
        decision_body="Socialnämnden",
        decision_date=timezone.localdate(),
        paragraph="12",
        registry_number="SN 2026/12",
    )
    assert "report_review" not in _sections(login(bob))


def test_the_inbox_reads_a_fixed_number_of_queries(cast, login):
    alice, _bob, _charlie, _draft, _in_review, _rows = _world(cast)
    client = login(alice)
    few = _queries(client, INBOX, {})
    for year in range(YEAR - 6, YEAR - 1):
        more = _report(cast.dept, year=year)
        for code in ("3", "4"):
            _chapter(more, code, authors=[alice])
    assert len(_sections(client)["report_chapters"].items) == 11
    assert _queries(client, INBOX, {}) == few


def _send(now, capture):
    with capture(execute=True):
        return send_report_reminders(now)


def test_reminders_go_before_at_and_after_the_date_once_each(
    cast, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    alice, bob, _charlie, draft, in_review, _rows = _world(cast)
    Report.objects.exclude(pk__in=[draft.pk, in_review.pk]).delete()  # long overdue, elsewhere
    due = due_at(in_review)
    assert timezone.localtime(due).date() == date(YEAR + 1, 3, 1)
    before = due - timedelta(days=10)
    # Only the patient safety report is near its date (the quality report's is in the spring).
    assert _send(before, capture) == 1
    assert _send(before, capture) == 0
    assert mail.outbox[-1].to == [bob.email]
    assert in_review.title in mail.outbox[-1].subject
    assert in_review.get_absolute_url() in mail.outbox[-1].body
    assert _send(due + timedelta(hours=1), capture) == 1  # DUE, to bob
    late = due + timedelta(days=2)
    assert _send(late, capture) == 1  # ESCALATION, to the writers a level up
    assert mail.outbox[-1].to == [cast.quality.email]
    assert _send(late, capture) == 0
    assert set(ReportReminder.objects.values_list("kind", flat=True)) == {
        "before",
        "due",
        "escalation",
    }
    # The draft: its writers and the named authors of the chapters still without text.
    at_draft = due_at(draft) + timedelta(hours=1)
    ReportReminder.objects.all().delete()
    decision.approve(
        in_review,
        actor=bob,
        decision_body="Socialnämnden",
        decision_date=timezone.localdate(),
        paragraph="12",
        registry_number="SN 2026/12",
    )
    mail.outbox.clear()
    assert _send(at_draft, capture) == 2
    assert {m.to[0] for m in mail.outbox} == {alice.email, bob.email}
    assert not ReportReminder.objects.filter(report=in_review).exists()  # approved: none


def test_the_due_dates_are_data_and_cite_the_register():
    data = json.loads((Path(settings.BASE_DIR) / "reports/data/due.json").read_text("utf-8"))
    register = json.loads(
        (Path(settings.BASE_DIR) / "legal/data/regulations.json").read_text("utf-8")
    )
    sections = {
        (law["code"], section["reference"])
        for law in register
        for section in law.get("sections", [])
    }
    for kind, rule in data["reports"].items():
        assert kind in ReportKind.values
        if rule["law"]:
            assert tuple(rule["section"]) in sections, kind
    assert due_for("patient_safety", 2025).on == date(2026, 3, 1)
    assert due_for("no_such_kind", 2025) is None
