"""The permission layer hands reads of sensitive records to the access log through a signal
(accounts/signals.py); a system check fails when nothing listens, since the reads would then go
unlogged without a sound."""

import pytest
from django.core.checks import Tags, run_checks
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from accounts.access import get_visible_or_404, require
from accounts.checks import check_sensitive_reads_are_logged
from accounts.signals import sensitive_read
from audit.apps import log_sensitive_read
from audit.models import AccessLog
from organisation.models import OrgNode

AUDIT_UID = "audit.log_sensitive_read"


@pytest.fixture
def without_audit_receiver():
    assert sensitive_read.disconnect(dispatch_uid=AUDIT_UID)
    try:
        yield
    finally:
        sensitive_read.connect(log_sensitive_read, dispatch_uid=AUDIT_UID)


@pytest.fixture
def received():
    calls = []

    def record(sender, **kwargs):
        calls.append({"sender": sender, **kwargs})

    sensitive_read.connect(record, dispatch_uid="tests.record")
    yield calls
    sensitive_read.disconnect(dispatch_uid="tests.record")


def test_the_audit_app_listens_and_the_check_passes():
    assert sensitive_read.has_listeners()
    assert check_sensitive_reads_are_logged(None) == []
    assert "accounts.E001" not in {m.id for m in run_checks(tags=[Tags.security])}


def test_the_check_fails_when_nothing_listens(without_audit_receiver):
    errors = check_sensitive_reads_are_logged(None)
    assert [e.id for e in errors] == ["accounts.E001"]
    assert errors[0].is_serious()
    assert "accounts.E001" in {m.id for m in run_checks(tags=[Tags.security])}


def test_reads_and_refusals_are_sent_with_the_documented_arguments(cast, monkeypatch, received):
    monkeypatch.setattr(OrgNode, "sensitive", True, raising=False)
    request = RequestFactory().get("/x/")
    request.user = cast.manager_a
    get_visible_or_404(OrgNode.objects.all(), cast.manager_a, request=request, pk=cast.unit_a.pk)
    with pytest.raises(Http404):
        get_visible_or_404(
            OrgNode.objects.all(), cast.manager_a, request=request, pk=cast.unit_b.pk
        )
    with pytest.raises(PermissionDenied):
        require(cast.manager_a, "no.such_key", cast.unit_a, request=request)
    assert [(c["sender"], c["user"], c["obj"], c["request"], c["denied"]) for c in received] == [
        (OrgNode, cast.manager_a, cast.unit_a, request, False),
        (OrgNode, cast.manager_a, cast.unit_b, request, True),
        (OrgNode, cast.manager_a, cast.unit_a, request, True),
    ]
    # The audit app's receiver wrote the same three lines.
    logged = AccessLog.objects.order_by("pk").values_list("object_id", "denied")
    assert list(logged) == [
        (str(cast.unit_a.pk), False),
        (str(cast.unit_b.pk), True),
        (str(cast.unit_a.pk), True),
    ]


def test_nothing_is_sent_for_an_ordinary_record(cast, received):
    get_visible_or_404(OrgNode.objects.all(), cast.manager_a, pk=cast.unit_a.pk)
    assert received == []
