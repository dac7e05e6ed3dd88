"""The audit trail: field-level history, readable events, the history panel and the access log."""

import datetime
import re
from pathlib import Path

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from accounts.access import get_visible_or_404
from accounts.models import Permission, RoleAssignment, User
from audit import verbs
from audit.history import field_changes, history_for
from audit.models import AccessLog, Event
from audit.services import log_read, record_event
from core.models import FigureState
from deviations.models import ReferenceSequence
from feedback.models import ReferenceSequence as FeedbackReferenceSequence
from feedback.models import SubmissionCount
from organisation.models import OrgNode, Service
from organisation.services import update_node
from privacy.models import SubjectAccessSearch
from retention.models import RetentionRun, RetentionRunLine, ThinnedRecord

PROJECT_APPS = {"accounts", "organisation", "legal", "notifications", "core"}
# The logs themselves, and counters that hold no domain data (the per-address count of public
# submissions holds a keyed hash of an address: a change log would only copy it). The
# register-extract searches and the thinning runs are logs of their own (each writes events); a
# field history of a search would copy the person searched for into the change log.
NOT_AUDITED = {
    Event,
    AccessLog,
    ReferenceSequence,
    FeedbackReferenceSequence,
    SubmissionCount,
    FigureState,
    SubjectAccessSearch,
    RetentionRun,
    RetentionRunLine,
    ThinnedRecord,
}


def _project_app_labels():
    """The listed apps plus any later app that lives in this repository (not in a venv)."""
    base = Path(settings.BASE_DIR).resolve()
    labels = set(PROJECT_APPS)
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base in path.parents and "site-packages" not in path.parts:
            labels.add(config.label)
    return labels


def _field_label(model, name):
    return capfirst(str(model._meta.get_field(name).verbose_name))


def _render_panel(obj, user):
    request = RequestFactory().get("/")
    request.user = user
    template = engines["django"].from_string("{% load audit_tags %}{% history obj %}")
    return template.render({"obj": obj}, request)


def _history_url(obj):
    ct = ContentType.objects.get_for_model(obj)
    return reverse("audit:history", args=[ct.pk, obj.pk])


# Registration ---------------------------------------------------------------------------------


def test_every_domain_model_is_registered_with_auditlog():
    missing = [
        model._meta.label
        for label in sorted(_project_app_labels())
        for model in apps.get_app_config(label).get_models()
        if model not in NOT_AUDITED
        and not model._meta.abstract
        and not model._meta.proxy
        and not auditlog.contains(model)
    ]
    assert missing == [], f"Register these models with auditlog: {missing}"


def test_the_check_covers_the_project_apps():
    labels = _project_app_labels()
    assert labels >= PROJECT_APPS
    assert "auditlog" not in labels and "auth" not in labels


def test_user_password_and_last_login_are_never_logged(cast):
    user = cast.same_unit
    user.set_password("a-new-password-2026")
    user.last_login = timezone.now()
    user.save()
    for entry in LogEntry.objects.get_for_object(user):
        assert "password" not in entry.changes_dict
        assert "last_login" not in entry.changes_dict
        assert cast.password not in (entry.changes_text or "")


def test_secret_fields_are_never_displayed_even_if_logged():
    changes = {
        "password": ["pbkdf2_sha256$old", "pbkdf2_sha256$new"],
        "api_token": ["abc", "def"],
        "first_name": ["Sara", "Sanna"],
    }
    rows = field_changes(User, changes, {})
    assert [(row.old, row.new) for row in rows] == [("Sara", "Sanna")]
    assert rows[0].label == _field_label(User, "first_name")


# Field-level history -----------------------------------------------------------------------------


def test_change_through_a_service_records_before_after_and_actor(cast):
    node = cast.unit_a
    with set_actor(cast.quality):
        update_node(node, actor=cast.quality, name="Enhet A2")
    entry = LogEntry.objects.get_for_object(node).filter(action=LogEntry.Action.UPDATE).first()
    assert entry.actor == cast.quality
    assert entry.changes_dict["name"] == ["Enhet A", "Enhet A2"]


def test_history_merges_the_event_with_its_field_changes(cast):
    node = cast.unit_a
    with set_actor(cast.quality):
        update_node(node, actor=cast.quality, name="Enhet A2")
    newest = history_for(node)[0]
    assert newest.source == "event"
    assert "Kim" in newest.message and "Kvalitet" in newest.message
    by_label = {change.label: change for change in newest.changes}
    name = by_label[_field_label(OrgNode, "name")]
    assert (name.old, name.new) == ("Enhet A", "Enhet A2")


def test_history_is_newest_first_and_hides_bookkeeping_fields(cast):
    node = cast.unit_a
    with set_actor(cast.quality):
        update_node(node, actor=cast.quality, code="K-1")
        update_node(node, actor=cast.quality, code="K-2")
    entries = history_for(node)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    labels = {change.label for entry in entries for change in entry.changes}
    assert _field_label(OrgNode, "code") in labels
    assert "path" not in labels and "Path" not in labels and "depth" not in labels
    codes = [c.new for e in entries for c in e.changes if c.label == _field_label(OrgNode, "code")]
    assert codes[:2] == ["K-2", "K-1"]


def test_creation_shows_the_record_fields_in_model_order(cast):
    created = next(e for e in reversed(history_for(cast.unit_a)) if e.changes)
    labels = [change.label for change in created.changes]
    assert labels[0] == _field_label(OrgNode, "kind")
    assert _field_label(OrgNode, "name") in labels
    assert all(change.kind == "initial" for change in created.changes)
    values = {change.label: change.new for change in created.changes}
    assert values[_field_label(OrgNode, "parent")] == "Avdelningen"
    # Neither the id nor reverse relations (children, assignments …) are record fields.
    assert _field_label(OrgNode, "id") not in labels
    assert not any(".None" in change.new for change in created.changes)


def test_values_are_readable_foreign_keys_booleans_and_choices(cast):
    assignment = RoleAssignment.objects.get(user=cast.same_unit)
    with set_actor(cast.admin):
        assignment.node = cast.unit_b
        assignment.include_subtree = True
        assignment.save()
    entry = history_for(assignment)[0]
    assert entry.source == "change"  # no event was recorded: a row of its own
    assert entry.actor == cast.admin
    by_label = {change.label: change for change in entry.changes}
    node = by_label[_field_label(RoleAssignment, "node")]
    assert (node.old, node.new) == ("Enhet A", "Enhet B")
    subtree = by_label[_field_label(RoleAssignment, "include_subtree")]
    assert (subtree.old, subtree.new) == (gettext("no"), gettext("yes"))

    with set_actor(cast.quality):
        update_node(cast.unit_b, actor=cast.quality, kind="operation")
    change = next(
        c for c in history_for(cast.unit_b)[0].changes if c.label == _field_label(OrgNode, "kind")
    )
    assert change.new == str(dict(OrgNode._meta.get_field("kind").choices)["operation"])


def test_many_to_many_changes_list_the_objects(cast):
    service = Service.objects.first()
    with set_actor(cast.quality):
        cast.unit_a.services.add(service)
    change = history_for(cast.unit_a)[0].changes[0]
    assert change.kind == "added"
    assert change.items == [service.name]


def test_record_event_shows_the_actor_and_an_unknown_verb_does_not_crash(cast):
    record_event(cast.unit_a, "organisation.node_closed", cast.quality, name="Enhet A")
    record_event(cast.unit_a, "nowhere.unknown_verb", cast.admin, name="Enhet A")
    verbs.register("tests.broken", "%(count)d by %(actor)s")
    try:
        record_event(cast.unit_a, "tests.broken", cast.admin, count="many")
        messages = [entry.message for entry in history_for(cast.unit_a)]
    finally:
        verbs.VERBS.pop("tests.broken")
    assert any("Kim Kvalitet" in m for m in messages)
    unknown = [m for m in messages if "nowhere.unknown_verb" in m]
    assert len(unknown) == 1 and "Ada Admin" in unknown[0]
    assert any("tests.broken" in m for m in messages)


# record_event(obj, "app.verb", ...): the verb is the second argument, a literal string.
RECORDED_VERB = re.compile(r'record_event\(\s*[^,()]+,\s*"([a-z_]+\.[a-z_]+)"')


def test_every_verb_the_code_records_has_its_wording():
    """An event without a wording reads "routines.imported by Anna" in the history panel: a
    code where a sentence belongs."""
    root = Path(__file__).resolve().parent.parent
    used = {}
    for path in root.glob("*/**/*.py"):
        parts = path.relative_to(root).parts
        if parts[0] in {".venv", "tests"} or "migrations" in parts:
            continue
        for verb in RECORDED_VERB.findall(path.read_text(encoding="utf-8")):
            used.setdefault(verb, str(path.relative_to(root)))
    assert len(used) > 100, "the pattern no longer finds the calls"
    missing = {verb: where for verb, where in used.items() if verb not in verbs.VERBS}
    assert missing == {}


def test_event_without_actor_is_attributed_to_the_system(cast):
    record_event(cast.unit_a, "organisation.node_closed", None, name="Enhet A")
    entry = history_for(cast.unit_a)[0]
    assert entry.actor is None
    assert entry.message  # rendered, not blank


# The history panel ------------------------------------------------------------------------------


def test_panel_is_shown_to_holders_of_view_history_only(cast):
    record_event(cast.unit_a, "organisation.node_updated", cast.quality, name="Enhet A")
    for user in (cast.manager_a, cast.parent_manager, cast.admin):
        html = _render_panel(cast.unit_a, user)
        assert 'id="history"' in html, user
        assert "Kim Kvalitet" in html
    for user in (cast.same_unit, cast.sibling, cast.outsider, cast.other_root):
        assert _render_panel(cast.unit_a, user).strip() == "", user
    # The manager of unit A does not see the history of unit B.
    assert _render_panel(cast.unit_b, cast.manager_a).strip() == ""


def test_panel_is_hidden_without_a_request_user(cast):
    template = engines["django"].from_string("{% load audit_tags %}{% history obj %}")
    assert template.render({"obj": cast.unit_a}).strip() == ""


def test_panel_is_limited_and_links_to_the_full_history(cast):
    for number in range(12):
        record_event(cast.unit_a, "organisation.node_updated", cast.quality, name=str(number))
    html = _render_panel(cast.unit_a, cast.manager_a)
    assert html.count('class="history-entry ') == 10
    assert f'href="{_history_url(cast.unit_a)}"' in html


def test_panel_without_more_entries_has_no_link(cast):
    html = _render_panel(cast.unit_a, cast.manager_a)
    assert _history_url(cast.unit_a) not in html


def test_panel_queries_are_bounded(cast, django_assert_max_num_queries):
    with set_actor(cast.quality):
        for number in range(15):
            update_node(cast.unit_a, actor=cast.quality, code=f"K-{number}")
    _render_panel(cast.unit_a, cast.manager_a)  # warm the grant cache of the user
    with django_assert_max_num_queries(5):
        _render_panel(cast.unit_a, cast.manager_a)


# The full history page -------------------------------------------------------------------------


def test_full_history_page_for_a_holder(cast, login):
    for number in range(60):
        record_event(cast.unit_a, "organisation.node_updated", cast.quality, name=str(number))
    client = login(cast.manager_a)
    response = client.get(_history_url(cast.unit_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="history-entry ') == 50
    assert "?page=2" in body
    second = client.get(_history_url(cast.unit_a) + "?page=2")
    assert second.status_code == 200
    # 60 events plus the node's creation event (with its field-level entries): 61 rows.
    assert second.content.decode().count('class="history-entry ') == 11
    assert client.get(_history_url(cast.unit_a) + "?page=9").status_code == 404


@pytest.mark.parametrize("who", ["outsider", "other_root", "same_unit", "sibling"])
def test_full_history_is_refused_without_the_key(cast, login, who):
    response = login(getattr(cast, who)).get(_history_url(cast.unit_a))
    assert response.status_code == 403


def test_full_history_of_an_object_out_of_scope_is_404(cast, login):
    client = login(cast.manager_a)
    assert client.get(_history_url(cast.unit_b)).status_code == 404
    assert client.get(_history_url(cast.other_root_node)).status_code == 404
    assert login(cast.parent_manager).get(_history_url(cast.other_root_node)).status_code == 404


def test_full_history_unknown_or_unsupported_is_404(cast, login):
    client = login(cast.admin)
    ct = ContentType.objects.get_for_model(OrgNode)
    assert client.get(reverse("audit:history", args=[ct.pk, 999999])).status_code == 404
    assert client.get(reverse("audit:history", args=[ct.pk, "abc"])).status_code == 404
    assert client.get(reverse("audit:history", args=[999999, cast.unit_a.pk])).status_code == 404
    # Models without their own visibility rule have no full history page.
    permission = Permission.objects.first()
    assert client.get(_history_url(permission)).status_code == 404
    event = record_event(cast.unit_a, "organisation.node_updated", cast.admin, name="x")
    assert client.get(_history_url(event)).status_code == 404


def test_full_history_of_a_person(cast, login):
    with set_actor(cast.admin):
        cast.same_unit.title = "Undersköterska"
        cast.same_unit.save()
    response = login(cast.admin).get(_history_url(cast.same_unit))
    assert response.status_code == 200
    assert "Undersköterska" in response.content.decode()
    assert login(cast.manager_a).get(_history_url(cast.same_unit)).status_code == 200
    assert login(cast.manager_a).get(_history_url(cast.sibling)).status_code == 404
    # A person with no role is seen by the administrator at the top of the tree.
    assert login(cast.admin).get(_history_url(cast.outsider)).status_code == 200


def test_full_history_anonymous_is_sent_to_login(cast, client):
    response = client.get(_history_url(cast.unit_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# Reads of sensitive records ---------------------------------------------------------------------


def test_a_sensitive_read_is_logged(cast, monkeypatch):
    monkeypatch.setattr(OrgNode, "sensitive", True, raising=False)
    request = RequestFactory().get("/organisation/unit/7/?tab=x", REMOTE_ADDR="10.1.2.3")
    request.user = cast.manager_a
    node = get_visible_or_404(
        OrgNode.objects.all(), cast.manager_a, request=request, pk=cast.unit_a.pk
    )
    assert node == cast.unit_a
    row = AccessLog.objects.get()
    assert row.user == cast.manager_a
    assert row.content_type == ContentType.objects.get_for_model(OrgNode)
    assert row.object_id == str(cast.unit_a.pk)
    assert row.object_repr == "Enhet A"
    assert row.path == "/organisation/unit/7/?tab=x"
    assert row.ip_address == "10.1.2.3"


def test_a_failed_fetch_writes_nothing(cast, monkeypatch):
    monkeypatch.setattr(OrgNode, "sensitive", True, raising=False)
    request = RequestFactory().get("/x/")
    request.user = cast.manager_a
    for pk in (cast.unit_b.pk, 999999):
        with pytest.raises(Http404):
            get_visible_or_404(OrgNode.objects.all(), cast.manager_a, request=request, pk=pk)
    # No read; the refused attempt at a record that exists is kept for loggkontroll.
    assert not AccessLog.objects.filter(denied=False).exists()
    refused = AccessLog.objects.get()
    assert refused.denied and refused.object_id == str(cast.unit_b.pk)


def test_a_read_of_an_ordinary_record_is_not_logged(cast):
    get_visible_or_404(OrgNode.objects.all(), cast.manager_a, pk=cast.unit_a.pk)
    assert not AccessLog.objects.exists()


def test_the_full_history_of_a_sensitive_record_is_a_logged_read(cast, login, monkeypatch):
    monkeypatch.setattr(OrgNode, "sensitive", True, raising=False)
    login(cast.manager_a).get(_history_url(cast.unit_a))
    row = AccessLog.objects.get()
    assert row.user == cast.manager_a
    assert row.path == _history_url(cast.unit_a)


# The access log --------------------------------------------------------------------------------

ACCESS_LOG = "/audit/access-log/"


def _read(user, obj, path="/record/", at=None):
    request = RequestFactory().get(path)
    request.user = user
    row = log_read(user, obj, request=request)
    if at is not None:
        AccessLog.objects.filter(pk=row.pk).update(at=at)
    return row


def _row_ids(response):
    return sorted(row.pk for row in response.context["page"].object_list)


@pytest.fixture
def reads(cast):
    return {
        "sara_a": _read(cast.same_unit, cast.unit_a),
        "sara_b": _read(cast.same_unit, cast.unit_b),
        "maja_a": _read(cast.manager_a, cast.unit_a),
        "old": _read(
            cast.sibling,
            cast.unit_b,
            at=timezone.make_aware(datetime.datetime(2025, 1, 15, 12, 0)),
        ),
        "user": _read(cast.manager_a, cast.same_unit),
    }


def test_access_log_lists_everything_newest_first(cast, login, reads):
    response = login(cast.log_reviewer).get(ACCESS_LOG)
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert len(rows) == 5
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)
    assert rows[-1] == reads["old"]


def test_access_log_search_by_person_name(cast, login, reads):
    client = login(cast.log_reviewer)
    response = client.get(ACCESS_LOG, {"person": "sara samma"})
    assert _row_ids(response) == sorted([reads["sara_a"].pk, reads["sara_b"].pk])
    response = client.get(ACCESS_LOG, {"person": "manager_a"})  # the username
    assert _row_ids(response) == sorted([reads["maja_a"].pk, reads["user"].pk])


def test_access_log_search_by_person_link(cast, login, reads):
    response = login(cast.log_reviewer).get(ACCESS_LOG, {"user": cast.same_unit.pk})
    assert _row_ids(response) == sorted([reads["sara_a"].pk, reads["sara_b"].pk])
    assert response.context["person"] == cast.same_unit
    body = response.content.decode()
    assert f"?user={cast.same_unit.pk}" in body


def test_access_log_search_by_record(cast, login, reads):
    ct = ContentType.objects.get_for_model(OrgNode)
    client = login(cast.log_reviewer)
    response = client.get(ACCESS_LOG, {"content_type": ct.pk, "object_id": cast.unit_a.pk})
    assert _row_ids(response) == sorted([reads["sara_a"].pk, reads["maja_a"].pk])
    response = client.get(ACCESS_LOG, {"content_type": ct.pk})
    assert reads["user"].pk not in _row_ids(response)
    assert len(_row_ids(response)) == 4
    body = response.content.decode()
    assert f"?content_type={ct.pk}&amp;object_id={cast.unit_a.pk}" in body


def test_access_log_kind_of_record_lists_only_kinds_in_the_log(cast, login, reads):
    response = login(cast.log_reviewer).get(ACCESS_LOG)
    kinds = set(response.context["form"].fields["content_type"].queryset)
    assert kinds == {
        ContentType.objects.get_for_model(OrgNode),
        ContentType.objects.get_for_model(User),
    }


def test_access_log_search_by_date_range(cast, login, reads):
    client = login(cast.log_reviewer)
    response = client.get(ACCESS_LOG, {"date_from": "2025-01-01", "date_to": "2025-01-31"})
    assert _row_ids(response) == [reads["old"].pk]
    today = timezone.localdate().isoformat()
    response = client.get(ACCESS_LOG, {"date_from": today})
    assert reads["old"].pk not in _row_ids(response)
    assert len(_row_ids(response)) == 4


def test_access_log_invalid_search_shows_the_form_again(cast, login, reads):
    response = login(cast.log_reviewer).get(
        ACCESS_LOG, {"date_from": "2025-02-01", "date_to": "2025-01-01", "person": "Sara"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert _row_ids(response) == []
    body = response.content.decode()
    assert "error-summary" in body and 'value="Sara"' in body


@pytest.mark.parametrize("who", ["manager_a", "quality", "parent_manager", "outsider", "admin"])
def test_access_log_is_for_the_log_reviewer_only(cast, login, reads, who):
    client = login(getattr(cast, who))
    assert client.get(ACCESS_LOG).status_code == 403
    assert client.get(reverse("audit:access_log_export")).status_code == 403


def test_access_log_anonymous_is_sent_to_login(client, db):
    for url in (ACCESS_LOG, reverse("audit:access_log_export")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_access_log_queries_are_bounded(cast, login, django_assert_max_num_queries):
    people = [cast.same_unit, cast.manager_a, cast.sibling, cast.quality]
    nodes = [cast.unit_a, cast.unit_b, cast.dept]
    for number in range(36):
        _read(people[number % 4], nodes[number % 3])
    _read(cast.manager_a, cast.same_unit)
    client = login(cast.log_reviewer)
    client.get(ACCESS_LOG)
    with django_assert_max_num_queries(10):
        response = client.get(ACCESS_LOG)
    assert len(response.context["page"].object_list) == 37
    ct = ContentType.objects.get_for_model(OrgNode)
    with django_assert_max_num_queries(12):
        response = client.get(ACCESS_LOG, {"person": "a", "content_type": ct.pk})
    assert response.status_code == 200


def test_access_log_is_paginated(cast, login):
    for _number in range(55):
        _read(cast.same_unit, cast.unit_a)
    client = login(cast.log_reviewer)
    first = client.get(ACCESS_LOG)
    assert len(first.context["page"].object_list) == 50
    second = client.get(ACCESS_LOG, {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert not set(_row_ids(first)) & set(_row_ids(second))


def test_access_log_export_is_the_current_search(cast, login, reads):
    evil = _read(cast.manager_a, cast.unit_a, path="/=HYPERLINK(1)")
    AccessLog.objects.filter(pk=evil.pk).update(object_repr="=cmd|'/c calc'!A1")
    response = login(cast.log_reviewer).get(
        reverse("audit:access_log_export"), {"person": "manager_a"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = [line for line in text.splitlines() if line]
    assert len(lines) == 1 + 3  # header + the three reads by manager_a
    assert all("(manager_a)" in line for line in lines[1:])
    assert "'=cmd" in text


def test_access_log_export_of_an_invalid_search_goes_back_to_the_form(cast, login):
    response = login(cast.log_reviewer).get(
        reverse("audit:access_log_export"), {"date_from": "2025-02-01", "date_to": "2025-01-01"}
    )
    assert response.status_code == 302
    assert response.url.startswith(ACCESS_LOG)
