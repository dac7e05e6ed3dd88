import contextlib
import copy
import os
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.cast import build_cast
from tests.module_data import once_for_the_module

# Modules whose tests share one cast, made once (tests/module_data.py): every module that asks
# for the cast, unless one of its tests empties the tables (transactional_db, a live server).
# A module may add its own data on that cast: a function `made_once_for_the_module(cast)`,
# whose result its tests ask for as `module_data`.
SHARED_CAST = pytest.StashKey[set]()
TRANSACTIONAL = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(TRANSACTIONAL & set(getattr(item, "fixturenames", ())))


def _build(module):
    cast = build_cast()
    more = getattr(module, "made_once_for_the_module", None)
    return cast, (more(cast) if more else None)


def _shared_modules(session):
    """The modules whose tests, as selected for this run, share one cast."""
    if SHARED_CAST not in session.stash:
        with_cast, transactional = set(), set()
        for item in session.items:
            module = item.getparent(pytest.Module)
            if module is None:
                continue
            if {"cast", "module_data"} & set(getattr(item, "fixturenames", ())):
                with_cast.add(module.nodeid)
            if _transactional(item):
                transactional.add(module.nodeid)
        session.stash[SHARED_CAST] = with_cast - transactional
    return session.stash[SHARED_CAST]


@pytest.fixture(scope="module", autouse=True)
def _module_cast(request):
    if request.node.nodeid not in _shared_modules(request.session):
        yield None
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    yield from once_for_the_module(blocker, lambda: _build(request.module))


@pytest.fixture
def _fresh(request, _module_cast, db):
    """(cast, module data) for one test: copies of the module's, or made for this test."""
    if _module_cast is None:
        return _build(request.module)
    # One copy of both, so that the module data and the cast share their objects as made.
    return copy.deepcopy(_module_cast)


@pytest.fixture
def cast(_fresh):
    """The cast of tests/cast.py."""
    return _fresh[0]


@pytest.fixture
def module_data(_fresh):
    """What the module's made_once_for_the_module(cast) returned."""
    assert _fresh[1] is not None, "the module has no made_once_for_the_module(cast)"
    return _fresh[1]


@pytest.fixture
def login(client):
    """Log a cast member in on the test client; returns the client."""

    def _login(user):
        client.force_login(user, backend="accounts.backends.RoleBackend")
        return client

    return _login


# The clock as Django gives it, whatever a test holds later (see `now`).
RUNNING_CLOCK = timezone.now


def _fields_defaulting_to_the_clock():
    from django.apps import apps

    clocks = (RUNNING_CLOCK, timezone.now)
    return [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if any(field.default is clock for clock in clocks)
    ]


@pytest.fixture
def now():
    """The moment the test starts, the clock held there until it ends.

    Read at import, the time is minutes old and "today" is yesterday for the tests that run after
    local midnight (the suite takes minutes; Stockholm's day ends at 22:00 or 23:00 UTC). Read in
    the test, it can still differ from what the code under test reads a moment later. Held, the
    test and the code read one moment.
    """
    moment = timezone.now()

    def held():
        return moment

    # `default=timezone.now` keeps the function itself, and Django calls it through the field's
    # cached `_get_default`: held there too, or a row made after midnight would carry the new day.
    fields = _fields_defaulting_to_the_clock()
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(timezone, "now", held))
        for field in fields:
            stack.enter_context(mock.patch.object(field, "_get_default", held))
        yield moment


@pytest.fixture
def today(now):
    """The organisation's day the test runs on, the clock held (see `now`)."""
    return timezone.localdate(now)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.LANGUAGE_CODE = "sv"
    # Hashing is slow by design; the cast creates many users per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # force_login gives no second step: the two-factor tests switch the requirement on.
    settings.HJULET_REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def _nothing_kept():
    """Each test starts with no figures kept from another (core/kept.py, the statistics): the
    tokens they were kept under are rolled back with the rows, and a test may write rows past
    the signals that change them."""
    cache.clear()


def pytest_collection_modifyitems(config, items):
    # Browser tests run last: they start a live server and hold the database between them.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
