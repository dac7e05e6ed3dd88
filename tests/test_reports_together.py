"""Writing a yearly report together (issue 13, point 3, first part): the authors named for a
chapter write its text, two at once in different chapters without touching each other's; two
in the same chapter: the second is shown the conflict with their text kept, nothing lost;
comments; who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from reports.models import Chapter, Comment
from reports.services import chapters as together
from reports.services import writing
from tests.analysis_helpers import YEAR

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user, backend="accounts.backends.RoleBackend")
    return client


def _report(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return writing.start_report(
            actor=cast.quality, kind="quality", scope=cast.unit_a.parent, year=YEAR
        )


def _text_url(chapter):
    return reverse("reports:chapter_text", args=[chapter.report_id, chapter.pk])


def _form(client, chapter):
    page = client.get(_text_url(chapter))
    assert page.status_code == 200
    return page.context["form"]


def _post(client, chapter, form, text):
    data = {"narrative": text, "record_version": form["record_version"].value()}
    return client.post(_text_url(chapter), data)


def test_two_authors_write_their_own_chapters_at_once(cast, django_capture_on_commit_callbacks):
    report = _report(cast, django_capture_on_commit_callbacks)
    complaints = Chapter.objects.get(report=report, code="5:3")
    deviations = Chapter.objects.get(report=report, code="5:4-5")
    together.set_authors(complaints, actor=cast.quality, authors=[cast.parent_manager])
    together.set_authors(deviations, actor=cast.quality, authors=[cast.quality])
    per, kim = _client(cast.parent_manager), _client(cast.quality)
    per_form, kim_form = _form(per, complaints), _form(kim, deviations)
    # Each writes only their own chapter.
    assert per.get(_text_url(deviations)).status_code == 403
    assert kim.get(_text_url(complaints)).status_code == 403
    assert (
        _post(per, complaints, per_form, "Klagomålen gällde oftast sena besök.").status_code == 302
    )
    assert _post(kim, deviations, kim_form, "Avvikelserna utreddes i tid.").status_code == 302
    complaints.refresh_from_db()
    deviations.refresh_from_db()
    assert complaints.narrative == "Klagomålen gällde oftast sena besök."
    assert (deviations.narrative, deviations.text_by) == (
        "Avvikelserna utreddes i tid.",
        cast.quality,
    )
    page = kim.get(report.get_absolute_url()).content.decode()
    assert "Klagomålen gällde oftast sena besök." in page and "Avvikelserna utreddes i tid." in page


def test_two_writing_the_same_chapter_see_the_conflict_and_lose_nothing(
    cast, django_capture_on_commit_callbacks
):
    report = _report(cast, django_capture_on_commit_callbacks)
    focus = Chapter.objects.get(report=report, code="focus")
    kim, admin = _client(cast.quality), _client(cast.admin)
    kim_form, admin_form = _form(kim, focus), _form(admin, focus)
    assert _post(kim, focus, kim_form, "Rutinerna ska bli kända av alla.").status_code == 302
    second = _post(admin, focus, admin_form, "Processerna ska fastställas.")
    assert second.status_code == 409
    body = second.content.decode()
    assert "Rutinerna ska bli kända av alla." in body and "Processerna ska fastställas." in body
    focus.refresh_from_db()
    assert focus.narrative == "Rutinerna ska bli kända av alla."


def test_authors_are_people_who_may_read_the_report(cast, django_capture_on_commit_callbacks):
    report = _report(cast, django_capture_on_commit_callbacks)
    chapter = Chapter.objects.get(report=report, code="6")
    people = set(together.possible_authors(report))
    assert {cast.quality, cast.parent_manager} <= people
    assert cast.sibling not in people and cast.outsider not in people
    with pytest.raises(ValidationError):
        together.set_authors(chapter, actor=cast.quality, authors=[cast.sibling])
    url = reverse("reports:chapter_authors", args=[report.pk, chapter.pk])
    kim = _client(cast.quality)
    assert kim.get(url).status_code == 200
    assert kim.post(url, {"authors": [cast.parent_manager.pk]}).status_code == 302
    assert list(chapter.authors.all()) == [cast.parent_manager]
    # Someone who may read but not write the report names no authors.
    assert _client(cast.log_reviewer).post(url, {"authors": []}).status_code in (403, 404)


def test_a_named_author_below_reads_the_report_and_writes_only_their_chapter(
    cast, django_capture_on_commit_callbacks
):
    """The MAS of the administration writes a chapter of the board's report: named, a reader
    of a unit below reads the report and writes that chapter, judges nothing, and writes no
    other; a colleague below who is not named still gets 404."""
    from reports.services.judging import judge

    report = _report(cast, django_capture_on_commit_callbacks)
    url = report.get_absolute_url()
    maja = _client(cast.manager_a)  # unit manager of unit A, below the department's report
    assert maja.get(url).status_code == 404
    assert cast.manager_a in set(together.possible_authors(report))
    chapter = Chapter.objects.get(report=report, code="5:3")
    together.set_authors(chapter, actor=cast.quality, authors=[cast.manager_a])
    assert maja.get(url).status_code == 200
    together.write_text(chapter, actor=cast.manager_a, narrative="Klagomålen gällde kvällar.")
    other = Chapter.objects.get(report=report, code="6")
    with pytest.raises(PermissionDenied):
        together.write_text(other, actor=cast.manager_a, narrative="Inte mitt kapitel.")
    with pytest.raises(PermissionDenied):
        judge(chapter, actor=cast.manager_a, verdict="meets")
    assert maja.get(_text_url(other)).status_code in (403, 404)
    assert _client(cast.provider_staff).get(url).status_code == 404
    # No longer named: no longer a reader.
    together.set_authors(chapter, actor=cast.quality, authors=[])
    assert maja.get(url).status_code == 404


def test_comments_once_each_and_only_for_readers(cast, django_capture_on_commit_callbacks):
    report = _report(cast, django_capture_on_commit_callbacks)
    chapter = Chapter.objects.get(report=report, code="4")
    url = reverse("reports:chapter_comment", args=[report.pk, chapter.pk])
    per = _client(cast.parent_manager)
    token = per.get(url).context["form"]["form_token"].value()
    for _send in range(2):
        assert (
            per.post(
                url, {"text": "Saknas rutin för nattens tillsyn?", "form_token": token}
            ).status_code
            == 302
        )
    assert Comment.objects.filter(chapter=chapter).count() == 1
    empty = per.post(url, {"text": "  "})
    assert empty.status_code == 200 and Comment.objects.count() == 1
    for person in (cast.sibling, cast.outsider):
        assert _client(person).get(url).status_code in (403, 404)
        assert _client(person).get(_text_url(chapter)).status_code in (403, 404)


def test_the_board_approves_and_the_published_version_never_changes(
    cast, django_capture_on_commit_callbacks
):
    import datetime

    from reports.models import PublishedVersion, Stage
    from reports.services import decision
    from reports.services.judging import judge
    from tests.analysis_helpers import new_report

    report = _report(cast, django_capture_on_commit_callbacks)
    focus = Chapter.objects.get(report=report, code="focus")
    together.write_text(focus, actor=cast.quality, narrative="Rutinerna först.")
    kim = _client(cast.quality)
    approve = reverse("reports:approve", args=[report.pk])
    decision.send_for_review(report, actor=cast.quality)
    refused = kim.post(approve, {"decision_body": "Socialnämnden", "paragraph": "§ 79"})
    assert refused.status_code == 200 and not PublishedVersion.objects.exists()
    assert 'value="Socialnämnden"' in refused.content.decode()
    done = kim.post(
        approve,
        {
            "decision_body": "Socialnämnden",
            "decision_date": "2026-04-25",
            "paragraph": "§ 79",
            "registry_number": "SN 2023-511",
        },
    )
    version = PublishedVersion.objects.get()
    assert done.status_code == 302 and done["Location"] == version.get_absolute_url()
    report.refresh_from_db()
    assert report.stage == Stage.APPROVED
    assert (version.number, version.paragraph, version.decision_date) == (
        1,
        "79",
        datetime.date(2026, 4, 25),
    )

    def shown():
        page = kim.get(version.get_absolute_url()).content.decode()
        return page[page.index("<h1") : page.index("</main>")]  # without the messages

    before = shown()
    reports_before = version.snapshot["chapters"][5]["parts"][0]["facts"]["reports"]

    # Locked: nothing changes the approved report.
    with pytest.raises(ValidationError):
        together.write_text(focus, actor=cast.quality, narrative="Annat")
    with pytest.raises(ValidationError):
        judge(focus, actor=cast.quality, verdict="meets", reason="x")
    with pytest.raises(ValidationError):
        writing.rewrite(report, actor=cast.quality)
    assert kim.get(_text_url(focus)).status_code == 302  # back to the report, with why

    # A new deviation and a new version written again leave the published one as it was.
    new_report(cast, cast.unit_a, 3)
    decision.new_version(report, actor=cast.quality)
    with django_capture_on_commit_callbacks(execute=True):
        writing.rewrite(report, actor=cast.quality)
    report.refresh_from_db()
    rewritten = Chapter.objects.get(report=report, code="5:4-5").facts["reports"]
    assert rewritten == reports_before + 1
    version.refresh_from_db()
    assert version.snapshot["chapters"][5]["parts"][0]["facts"]["reports"] == reports_before
    assert shown() == before
    assert "Rutinerna först." in before and "SN 2023-511" in before
    for person in (cast.sibling, cast.outsider):
        assert _client(person).get(version.get_absolute_url()).status_code in (403, 404)
        assert _client(person).post(approve, {}).status_code in (403, 404)
