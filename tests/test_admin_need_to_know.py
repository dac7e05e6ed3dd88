"""The Django admin reads no case (issue 8, point 1): the system administrator sees no field
history of a sensitive record, finds none by searching, and every registered ModelAdmin follows
the same rule; admin reads and refused attempts are written to the access log."""

import pytest
from auditlog.models import LogEntry
from django.contrib.admin import AdminSite
from django.contrib.contenttypes.models import ContentType
from django.urls import path

from accounts.models import Role, RoleAssignment
from accounts.need_to_know_rule import is_need_to_know, need_to_know_models
from audit.models import AccessLog
from deviations.investigation.models import Investigation, TimelineEntry
from deviations.models import Deviation, Track
from hjulet import urls as project_urls
from shell.admin_site import restrict_admin
from tests.need_to_know_cases import build_cases, forbidden_markers

# A second admin site with a sensitive model registered, as a later module might do.
site = AdminSite(name="testadmin")
site.register(Deviation)
site.register(Investigation)
restrict_admin(site)
urlpatterns = [path("testadmin/", site.urls), *project_urls.urlpatterns]

LOGENTRY = "/admin/auditlog/logentry/"


def _markers(cases):
    return [m for case in cases for m in case.markers]


def _assert_no_marker(body, markers, where):
    text = body.decode("utf-8", "replace")
    found = [m for m in markers if m in text]
    assert found == [], f"{where} shows {found}"


def test_need_to_know_models_are_read_from_the_models():
    models = set(need_to_know_models())
    assert {Deviation, Track, Investigation, TimelineEntry} <= models
    assert not is_need_to_know(Role) and not is_need_to_know(LogEntry)


def test_the_change_log_admin_shows_no_case_to_the_system_administrator(cast, login):
    cases = build_cases(cast)
    markers = list(forbidden_markers(cast.admin, cases))
    assert len(markers) > len(_markers(cases)) - 3  # all but the breach's ordinary action
    client = login(cast.admin)
    response = client.get(LOGENTRY)
    assert response.status_code == 200
    _assert_no_marker(response.content, markers, "the change log")
    # Records of the organisation are still there: the administrator's own work.
    assert client.get(LOGENTRY, {"q": "Enhet A"}).context["cl"].result_count > 0
    for text in markers:
        found = client.get(LOGENTRY, {"q": text})
        assert found.context["cl"].result_count == 0, text
        # The search box keeps what was typed; nothing else may show a marker.
        shown = found.content.replace(f'value="{text}"'.encode(), b"")
        shown = shown.replace(f"q={text}".encode(), b"")
        _assert_no_marker(shown, markers, f"search for {text}")

    sensitive = [ContentType.objects.get_for_model(m) for m in need_to_know_models()]
    # One entry of each kind of record is enough: the rule is per model, and each page costs.
    entries = [LogEntry.objects.filter(content_type=ct).order_by("-pk").first() for ct in sensitive]
    entries = [entry for entry in entries if entry is not None]
    assert len(entries) >= 8
    for entry in entries:
        detail = client.get(f"{LOGENTRY}{entry.pk}/change/", follow=True)
        _assert_no_marker(detail.content, markers, f"change log entry {entry.pk}")
    # Each refused look at a record that still exists is logged.
    assert AccessLog.objects.filter(user=cast.admin, denied=True).exists()
    # The breach's ordinary action is the only record of the cases the administrator reads.
    read = AccessLog.objects.filter(user=cast.admin, denied=False)
    assert set(read.values_list("content_type__model", flat=True)) <= {"action"}


@pytest.mark.parametrize("id_limit", [5000, 0])
def test_a_reader_with_the_admin_key_sees_the_history_of_what_they_may_read(
    cast, login, monkeypatch, id_limit
):
    # Past the limit the readable records are a subquery instead of a list of ids.
    monkeypatch.setattr("shell.admin_site.ID_LIST_LIMIT", id_limit)
    cases = build_cases(cast)
    RoleAssignment.objects.create(
        user=cast.quality,
        role=Role.objects.get(code="system_administrator"),
        node=cast.board,
        include_subtree=True,
    )
    client = login(cast.quality)
    sarah = cases[0]
    found = client.get(LOGENTRY, {"q": "nksarahconclusionx"})
    assert found.context["cl"].result_count == 1
    found = client.get(LOGENTRY, {"q": "nkmariaconclusionx"})
    assert found.context["cl"].result_count == 0  # lex Maria: the MAS reads it, not quality
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Investigation),
            object_pk=str(Investigation.objects.get(track=sarah.track).pk),
        )
        .order_by("-pk")
        .first()
    )
    response = client.get(f"{LOGENTRY}{entry.pk}/change/")
    assert response.status_code == 200 and b"nksarahconclusionx" in response.content
    row = AccessLog.objects.get(user=cast.quality, denied=False, path__startswith="/admin/")
    assert row.object_id == str(entry.object_pk)


@pytest.mark.urls("tests.test_admin_need_to_know")
def test_every_registered_model_admin_follows_need_to_know(cast, login):
    cases = build_cases(cast)
    markers = list(forbidden_markers(cast.admin, cases))
    client = login(cast.admin)
    listing = client.get("/testadmin/deviations/deviation/")
    assert listing.status_code == 200 and listing.context["cl"].result_count == 0
    search = client.get("/testadmin/deviations/deviation/", {"q": "nksarahdescriptionx"})
    assert search.context["cl"].result_count == 0
    sarah = cases[0].deviation
    detail = client.get(f"/testadmin/deviations/deviation/{sarah.pk}/change/", follow=True)
    _assert_no_marker(detail.content, markers, "the deviation admin")
    history = client.get(f"/testadmin/deviations/deviation/{sarah.pk}/history/", follow=True)
    _assert_no_marker(history.content, markers, "the deviation admin history")
    assert client.get("/testadmin/deviations/investigation/").context["cl"].result_count == 0
    assert AccessLog.objects.filter(user=cast.admin, denied=True, object_id=sarah.pk).exists()

    RoleAssignment.objects.create(
        user=cast.parent_manager,
        role=Role.objects.get(code="system_administrator"),
        node=cast.board,
        include_subtree=True,
    )
    client = login(cast.parent_manager)
    assert client.get("/testadmin/deviations/deviation/").context["cl"].result_count == 3
    # Investigations: the department manager reads lex Sarah and the breach, not lex Maria.
    assert client.get("/testadmin/deviations/investigation/").context["cl"].result_count == 2
    response = client.get(f"/testadmin/deviations/deviation/{sarah.pk}/change/")
    assert response.status_code == 200
    assert AccessLog.objects.filter(
        user=cast.parent_manager, denied=False, object_id=sarah.pk, path__contains="testadmin"
    ).exists()


def test_queued_emails_are_not_read_through_the_task_table(cast, login):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"body": "nksarahactiontitlex", "to": ["a@b.test"]}},
        task_path="notifications.tasks.send_email",
        backend_name="default",
        run_after=timezone.now(),
        return_value="nksarahconclusionx",
        exception_class_path="",
        traceback="",
    )
    client = login(cast.admin)
    response = client.get(f"/admin/django_tasks_database/dbtaskresult/{row.pk}/change/")
    assert response.status_code == 200
    _assert_no_marker(response.content, ["nksarahactiontitlex", "nksarahconclusionx"], "tasks")
    assert b"send_email" in response.content
