"""Upward proposals, the closed loop from an action, the difference view and document text."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Status
from actions.services import create_action
from routines.diff import diff_texts, diff_versions
from routines.models import Proposal, Routine, VersionState
from routines.services.draft import new_version, update_draft
from routines.services.loop import decide_proposal, propose, revise_from_action
from routines.services.publish import publish
from routines.services.review import approve
from routines.text import extract_text, html_to_text, sanitise
from tests.test_routines_w_helpers import docx_bytes, first, pdf_bytes, published, reload

# -- proposal upward --------------------------------------------------------------------------


def test_adopting_a_proposal_drafts_a_department_routine_that_replaces_the_local_one(cast, login):
    local = published(cast)
    with pytest.raises(ValidationError):
        propose(local, actor=cast.manager_a, motivation=" ")
    proposal = propose(local, actor=cast.manager_a, motivation="Fungerar bra hos oss")
    assert proposal.to_node == cast.dept
    with pytest.raises(ValidationError):
        propose(local, actor=cast.manager_a, motivation="Igen")
    with pytest.raises(PermissionDenied):
        decide_proposal(proposal, actor=cast.manager_a, adopt=True)
    client = login(cast.parent_manager)
    register = client.get(reverse("routines:register"))
    assert [p.pk for p in register.context["proposals"]] == [proposal.pk]
    response = client.post(reverse("routines:proposal", args=[proposal.pk]), {"decision": "adopt"})
    proposal.refresh_from_db()
    adopted = proposal.adopted_as
    assert response["Location"] == adopted.get_absolute_url()
    assert proposal.outcome == Proposal.Outcome.ADOPTED
    assert adopted.unit == cast.dept and adopted.adopted_from == local
    draft = first(adopted)
    assert draft.state == VersionState.DRAFT and draft.body == local.current_version.body
    # Approved at the department's level, then published: the local routine ends.
    approve(draft, actor=cast.parent_manager)
    publish(draft, actor=cast.parent_manager)
    local.refresh_from_db()
    assert local.current_version is None and local.withdrawn_at is not None
    ended = first(local)
    assert ended.state == VersionState.WITHDRAWN and adopted.reference in ended.end_reason


def test_declining_needs_a_reason_and_leaves_the_local_routine(cast):
    local = published(cast)
    proposal = propose(local, actor=cast.manager_a, motivation="Bra")
    with pytest.raises(ValidationError):
        decide_proposal(proposal, actor=cast.parent_manager, adopt=False, note="")
    decide_proposal(proposal, actor=cast.parent_manager, adopt=False, note="Enhetsspecifik")
    proposal.refresh_from_db()
    assert proposal.outcome == Proposal.Outcome.DECLINED and proposal.adopted_as is None
    assert Routine.objects.count() == 1
    with pytest.raises(ValidationError):
        decide_proposal(proposal, actor=cast.parent_manager, adopt=True)


def test_a_draft_cannot_be_proposed(cast):
    from tests.test_routines_w_helpers import make

    with pytest.raises(ValidationError):
        propose(make(cast), actor=cast.manager_a, motivation="x")


# -- the closed loop --------------------------------------------------------------------------


def test_action_revise_publish_completes_the_action_with_the_version(cast, login, today):
    routine = published(cast)
    action = create_action(
        actor=cast.manager_a,
        unit=cast.unit_a,
        title="Revidera läkemedelsrutinen",
        owner=cast.manager_a,
        due_date=today + datetime.timedelta(days=30),
    )
    client = login(cast.manager_a)
    page = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert 'id="revise-form"' in page and "Revidera rutin" in page
    response = client.post(reverse("routines:revise", args=[action.pk]), {"routine": routine.pk})
    version = routine.versions.get(number=2)
    assert response["Location"] == reverse("routines:edit", args=[version.pk])
    # The same form again: the same draft, no second version.
    client.post(reverse("routines:revise", args=[action.pk]), {"routine": routine.pk})
    assert routine.versions.count() == 2
    action.refresh_from_db()
    assert version.action == action and action.status == Status.IN_PROGRESS
    update_draft(version, actor=cast.manager_a, body="<p>Ny ordning.</p>")
    approve(version, actor=cast.manager_a)
    publish(version, actor=cast.manager_a)
    action.refresh_from_db()
    assert action.status == Status.DONE
    assert action.evidence == reload(version)
    page = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert 'id="revise-form"' not in page and reverse("routines:version", args=[version.pk]) in page


def test_revise_is_refused_for_staff_and_closed_actions(cast, login, today):
    routine = published(cast)
    action = create_action(
        actor=cast.manager_a,
        unit=cast.unit_a,
        title="Åtgärd",
        owner=cast.same_unit,
        due_date=today,
    )
    page = login(cast.same_unit).get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert 'id="revise-form"' not in page
    with pytest.raises(PermissionDenied):
        revise_from_action(action, routine, actor=cast.same_unit)
    from actions.services import change_status

    change_status(action, Status.CANCELLED, actor=cast.manager_a, reason="Behövs inte")
    with pytest.raises(ValidationError):
        revise_from_action(action, routine, actor=cast.manager_a)


# -- the difference ---------------------------------------------------------------------------


def test_diff_marks_words_added_and_removed_with_a_legend(cast, login):
    routine = published(cast)
    v2 = new_version(routine, actor=cast.manager_a)
    update_draft(
        v2,
        actor=cast.manager_a,
        body="<p>Läkemedel ska alltid dubbelkontrolleras av tre personer.</p><p>Nytt stycke.</p>",
    )
    result = diff_versions(first(routine), reload(v2))
    assert "<del>" in result.html and "<ins>" in result.html
    assert "två" in result.html.split("<del>")[1].split("</del>")[0]
    assert result.added == 3 and result.removed == 1
    response = login(cast.manager_a).get(
        reverse("routines:diff", args=[routine.pk]), {"a": 1, "b": 2}
    )
    content = response.content.decode()
    assert 'id="diff-legend"' in content and "Understruken text" in content
    assert "Tillagt:" in content and "Borttaget:" in content


def test_diff_escapes_the_text():
    result = diff_texts("a <b>", "a <script>x</script>")
    assert "<script>" not in result.html and "&lt;script&gt;" in result.html
    assert diff_texts("lika", "lika").same


# -- text and documents -----------------------------------------------------------------------


def test_sanitise_removes_scripts_handlers_styles_and_bad_links():
    html = sanitise(
        '<h2 style="color:red">Rubrik</h2><p onclick="x()">Text <a href="javascript:alert(1)">'
        'länk</a> <a href="https://example.se">ok</a></p><script>alert(1)</script><img src=x>'
    )
    assert "style" not in html and "onclick" not in html and "script" not in html
    assert "javascript" not in html and "<img" not in html
    assert '<a href="https://example.se"' in html and "<h2>Rubrik</h2>" in html
    assert html_to_text(html) == "Rubrik\nText länk ok"


def test_extract_text_from_pdf_and_docx_with_tables():
    pdf = pdf_bytes("<h1>Brandrutin</h1><p>Utrym lokalen vid larm.</p>")
    assert "Utrym lokalen vid larm." in extract_text(SimpleUploadedFile("r.pdf", pdf), "r.pdf")
    docx = docx_bytes("Inledning", table=[["Steg", "Ansvar"], ["Larma", "Personal"]])
    text = extract_text(SimpleUploadedFile("r.docx", docx), "r.docx")
    assert text.splitlines() == ["Inledning", "Steg Ansvar", "Larma Personal"]


@pytest.mark.parametrize(
    "name, data",
    [
        ("r.pdf", b"GIF89a fake"),
        ("r.docx", b"PK\x03\x04 not really a zip"),
        ("r.pdf", b"%PDF-1.7 broken"),
    ],
)
def test_extract_text_refuses_other_and_broken_files_in_swedish(name, data):
    with pytest.raises(ValidationError) as error:
        extract_text(SimpleUploadedFile(name, data), name)
    assert "r." in error.value.messages[0] and (
        "PDF" in error.value.messages[0] or "läsa" in error.value.messages[0]
    )


def test_a_renamed_zip_is_not_a_word_document():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("other.txt", "hej")
    with pytest.raises(ValidationError):
        extract_text(SimpleUploadedFile("r.docx", buffer.getvalue()), "r.docx")


def test_too_large_files_are_refused(settings, monkeypatch):
    import routines.text

    monkeypatch.setattr(routines.text, "MAX_UPLOAD_SIZE", 10)
    with pytest.raises(ValidationError) as error:
        extract_text(SimpleUploadedFile("r.pdf", b"%PDF-" + b"x" * 20), "r.pdf")
    assert "20 MB" in error.value.messages[0]


def test_an_uploaded_routine_with_a_personal_identity_number_is_refused():
    docx = docx_bytes("Kontakta brukaren 19121212-1212 vid larm.")
    with pytest.raises(ValidationError) as error:
        extract_text(SimpleUploadedFile("r.docx", docx), "r.docx")
    assert error.value.code == "personal_number"
    assert "r.docx" in error.value.messages[0]
