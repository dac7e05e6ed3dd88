import os

import pytest

from tests.cast import build_cast


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.fixture
def login(client):
    """Log a cast member in on the test client; returns the client."""

    def _login(user):
        client.force_login(user, backend="accounts.backends.RoleBackend")
        return client

    return _login


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.LANGUAGE_CODE = "sv"
    # Hashing is slow by design; the cast creates many users per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # force_login gives no second step: the two-factor tests switch the requirement on.
    settings.HJULET_REQUIRE_2FA = False


def pytest_collection_modifyitems(config, items):
    # Browser tests run last: they start a live server and hold the database between them.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
