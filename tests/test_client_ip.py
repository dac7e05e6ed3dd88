"""The client's address behind our own reverse proxies (core/client_ip.py)."""

from django.test import RequestFactory

from audit.models import AccessLog
from audit.services import log_read
from core.client_ip import client_ip


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_forwarded_header_is_not_believed(settings):
    settings.HJULET_PROXY_COUNT = 0
    assert client_ip(_request("10.0.0.5", "203.0.113.9")) == "10.0.0.5"


def test_behind_one_proxy_the_address_it_added_counts(settings):
    settings.HJULET_PROXY_COUNT = 1
    # The client may send its own header; only the last entry is our proxy's.
    assert client_ip(_request("10.0.0.5", "198.51.100.1, 203.0.113.9")) == "203.0.113.9"
    settings.HJULET_PROXY_COUNT = 2
    assert client_ip(_request("10.0.0.5", "198.51.100.1, 203.0.113.9, 10.0.0.4")) == ("203.0.113.9")


def test_a_missing_or_bad_header_falls_back_to_the_connection(settings):
    settings.HJULET_PROXY_COUNT = 2
    assert client_ip(_request("10.0.0.5", "203.0.113.9")) == "10.0.0.5"
    settings.HJULET_PROXY_COUNT = 1
    assert client_ip(_request("10.0.0.5", "not-an-address")) == "10.0.0.5"
    assert client_ip(_request("10.0.0.5")) == "10.0.0.5"


def test_the_access_log_records_the_client_behind_the_proxy(cast, settings):
    settings.HJULET_PROXY_COUNT = 1
    log_read(cast.manager_a, cast.unit_a, _request("10.0.0.5", "203.0.113.9"))
    assert AccessLog.objects.get().ip_address == "203.0.113.9"
