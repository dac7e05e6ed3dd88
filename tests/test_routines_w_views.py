"""The routine workflow's pages: register, create, version page, the steps, print, download."""

import datetime
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from routines.models import Routine, VersionState
from routines.services.draft import new_version
from routines.services.loop import propose
from tests.test_routines_w_helpers import first, make, pdf_bytes, person, published, reload


def test_register_lists_visible_routines_with_filters_in_a_bounded_number_of_queries(
    cast, login, django_assert_max_num_queries
):
    for n in range(12):
        make(cast, title=f"Rutin {n:02}")
    make(
        cast,
        title="Avdelningens rutin",
        unit=cast.dept,
        actor=cast.parent_manager,
        owner=cast.parent_manager,
    )
    hidden = person("chef_b", "unit_manager", cast.unit_b)
    make(cast, title="Enhet B:s egen", unit=cast.unit_b, actor=hidden, owner=hidden)
    published(cast, title="Publicerad")
    client = login(cast.manager_a)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("routines:register"))
    assert response.status_code == 200
    titles = [r.title for r in response.context["page"].object_list]
    assert "Avdelningens rutin" in titles and "Enhet B:s egen" not in titles
    assert len(titles) == 14
    response = client.get(reverse("routines:register"), {"state": "published"})
    assert [r.title for r in response.context["page"].object_list] == ["Publicerad"]
    response = client.get(reverse("routines:register"), {"q": "avdelning"})
    assert [r.title for r in response.context["page"].object_list] == ["Avdelningens rutin"]
    response = client.get(
        reverse("routines:register"), {"unit": cast.dept.pk, "owner": cast.parent_manager.pk}
    )
    assert [r.title for r in response.context["page"].object_list] == ["Avdelningens rutin"]


def test_register_is_for_writers_and_followers_only(cast, login):
    assert login(cast.same_unit).get(reverse("routines:register")).status_code == 403
    assert login(cast.manager_a).get(reverse("routines:register")).status_code == 200


def test_create_keeps_the_input_on_error_and_one_token_makes_one_routine(cast, login):
    client = login(cast.manager_a)
    data = {
        "unit": cast.unit_a.pk,
        "title": "Hygienrutin",
        "owner": cast.manager_a.pk,
        "review_interval_months": 12,
        "requires_acknowledgment": "on",
        "body": "",
        "change_summary": "Första versionen",
        "form_token": str(uuid.uuid4()),
    }
    response = client.post(reverse("routines:create"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Hygienrutin"' in content and "Första versionen" in content
    assert "Skriv rutinen" in content
    assert not Routine.objects.exists()
    data["body"] = "Handsprit före och efter.\n\n<script>alert(1)</script>Nytt stycke"
    first_response = client.post(reverse("routines:create"), data)
    second_response = client.post(reverse("routines:create"), data)
    routine = Routine.objects.get()
    assert first_response["Location"] == second_response["Location"] == routine.get_absolute_url()
    body = first(routine).body
    assert "<script" not in body and body.startswith("<p>Handsprit")
    page = client.get(reverse("routines:version", args=[first(routine).pk])).content.decode()
    assert "alert(1)" not in page


def test_a_file_upload_is_checked_and_downloaded_only_through_the_view(cast, login):
    client = login(cast.manager_a)
    data = {
        "unit": cast.unit_a.pk,
        "title": "Dokument",
        "owner": cast.manager_a.pk,
        "review_interval_months": 12,
        "form_token": str(uuid.uuid4()),
    }
    bad = dict(data, file=SimpleUploadedFile("rutin.pdf", b"not a pdf at all"))
    response = client.post(reverse("routines:create"), bad)
    assert response.status_code == 200 and "varken en PDF" in response.content.decode()
    good = dict(
        data,
        file=SimpleUploadedFile("rutin.pdf", pdf_bytes("<p>Brandlarm testas varje månad.</p>")),
    )
    response = client.post(reverse("routines:create"), good)
    version = first(Routine.objects.get())
    assert version.body_format == "file" and "Brandlarm" in version.search_text
    url = reverse("routines:download", args=[version.pk])
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    # A draft is not for staff; a sibling unit never sees it.
    assert login(cast.same_unit).get(url).status_code == 404
    assert login(cast.sibling).get(url).status_code == 404


def test_drafts_are_hidden_from_staff_but_the_published_version_is_not(cast, login):
    routine = published(cast)
    draft = new_version(routine, actor=cast.manager_a)
    staff = login(cast.same_unit)
    assert staff.get(reverse("routines:version", args=[draft.pk])).status_code == 404
    assert staff.get(reverse("routines:version", args=[first(routine).pk])).status_code == 200
    detail = staff.get(reverse("routines:detail", args=[routine.pk]))
    assert [v.number for v in detail.context["versions"]] == [1]
    for who in (cast.sibling, cast.other_root):
        client = login(who)
        assert client.get(reverse("routines:detail", args=[routine.pk])).status_code == 404
        assert client.get(reverse("routines:version", args=[first(routine).pk])).status_code == 404
    # Without any routine key at all: refused before any lookup.
    outsider = login(cast.outsider)
    assert outsider.get(reverse("routines:detail", args=[routine.pk])).status_code == 403


def test_the_way_through_the_pages(cast, login, today):
    routine = make(cast)
    version = first(routine)
    manager = login(cast.manager_a)
    page = manager.get(reverse("routines:version", args=[version.pk])).content.decode()
    assert 'id="version-submit"' in page and 'id="version-approve"' in page
    assert 'id="version-publish"' not in page
    response = manager.post(
        reverse("routines:submit", args=[version.pk]), {"reviewers": [cast.same_unit.pk]}
    )
    assert response.status_code == 302 and reload(version).state == VersionState.REVIEW
    # Sent twice: the second finds the version in review and changes nothing.
    again = manager.post(
        reverse("routines:submit", args=[version.pk]), {"reviewers": [cast.same_unit.pk]}
    )
    assert again.status_code == 302 and version.transitions.count() == 1
    reviewer = login(cast.same_unit)
    page = reviewer.get(reverse("routines:version", args=[version.pk])).content.decode()
    assert 'id="comment-form"' in page and 'id="version-approve"' not in page
    token = str(uuid.uuid4())
    for _ in range(2):
        reviewer.post(
            reverse("routines:comment", args=[version.pk]),
            {"text": "Bra!", "done": "on", "form_token": token},
        )
    assert version.comments.count() == 1 and version.reviewers.get().done_at
    empty = reviewer.post(
        reverse("routines:comment", args=[version.pk]),
        {"text": "", "form_token": str(uuid.uuid4())},
    )
    assert empty.status_code == 400
    manager = login(cast.manager_a)
    assert (
        manager.post(reverse("routines:approve", args=[version.pk]), {"note": ""}).status_code
        == 302
    )
    past = (today - datetime.timedelta(days=1)).isoformat()
    response = manager.post(
        reverse("routines:publish", args=[version.pk]), {"effective_from": past}
    )
    assert response.status_code == 200 and reload(version).state == VersionState.APPROVED
    manager.post(
        reverse("routines:publish", args=[version.pk]), {"effective_from": today.isoformat()}
    )
    assert reload(version).state == VersionState.PUBLISHED
    printed = manager.get(reverse("routines:print", args=[routine.pk])).content.decode()
    assert routine.reference in printed and "Enhetschef" in printed
    assert "dubbelkontrolleras" in printed and today.isoformat() in printed


def test_staff_cannot_use_the_steps(cast, login):
    version = first(make(cast))
    staff = login(cast.same_unit)
    assert staff.get(reverse("routines:edit", args=[version.pk])).status_code in (403, 404)
    assert staff.post(reverse("routines:submit", args=[version.pk]), {}).status_code in (403, 404)
    assert reload(version).state == VersionState.DRAFT


def test_board_fields_are_asked_for_at_board_level(cast, login):
    head = person("chef", "administration_manager", cast.board)
    version = first(make(cast, unit=cast.board, actor=head, owner=head))
    client = login(head)
    page = client.get(reverse("routines:approve", args=[version.pk])).content.decode()
    assert 'name="board_paragraph"' in page and 'name="board_registry_number"' in page
    response = client.post(
        reverse("routines:approve", args=[version.pk]), {"board_paragraph": "§ 12"}
    )
    assert response.status_code == 200 and 'value="§ 12"' in response.content.decode()
    assert reload(version).state == VersionState.DRAFT
    unit_page = login(cast.manager_a).get(reverse("routines:approve", args=[first(make(cast)).pk]))
    assert 'name="board_paragraph"' not in unit_page.content.decode()


def test_withdraw_page_needs_a_reason(cast, login):
    routine = published(cast)
    client = login(cast.manager_a)
    url = reverse("routines:withdraw", args=[routine.current_version_id])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Gäller inte längre"}).status_code == 302
    routine.refresh_from_db()
    assert routine.current_version is None


def test_every_page_opens_for_the_unit_manager(cast, login):
    routine = published(cast)
    proposal = propose(routine, actor=cast.manager_a, motivation="Bra för alla")
    draft = new_version(routine, actor=cast.manager_a)
    client = login(cast.manager_a)
    urls = [
        reverse("routines:register"),
        reverse("routines:create"),
        reverse("routines:detail", args=[routine.pk]),
        reverse("routines:print", args=[routine.pk]),
        reverse("routines:diff", args=[routine.pk]),
        reverse("routines:proposal", args=[proposal.pk]),
        reverse("routines:version", args=[draft.pk]),
        reverse("routines:edit", args=[draft.pk]),
        reverse("routines:submit", args=[draft.pk]),
        reverse("routines:approve", args=[draft.pk]),
        reverse("routines:withdraw", args=[draft.pk]),
        reverse("routines:withdraw", args=[routine.current_version_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    edit = client.post(
        reverse("routines:edit", args=[draft.pk]),
        {
            "title": "Ny titel",
            "owner": cast.manager_a.pk,
            "review_interval_months": 24,
            "body": "<p>Ändrad text</p>",
            "change_summary": "Ändrat",
        },
    )
    assert edit.status_code == 302
    routine.refresh_from_db()
    assert routine.title == "Ny titel" and routine.review_interval_months == 24
    assert reload(draft).body == "<p>Ändrad text</p>"
    parent = login(cast.parent_manager)
    page = parent.get(reverse("routines:proposal", args=[proposal.pk])).content.decode()
    assert 'id="decide-form"' in page
    assert parent.get(reverse("routines:detail", args=[routine.pk])).status_code == 200
