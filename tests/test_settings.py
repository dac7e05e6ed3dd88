"""Settings and the protections around them: production refuses to start half-configured,
the health check tells the truth, security headers are sent and logins are throttled.

The start-up tests run Python in a subprocess, because settings are read once per process.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connections

from tests.cast import PASSWORD

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "HJULET_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(45)[:60],
    "ALLOWED_HOSTS": "hjulet.kommun.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/hjulet",
    "HJULET_FIELD_KEYS": "4Uu0pqTXXjB0rrM9cSM0rh5yoyzd2v6l9oV1N6WZt9A=",
    "HJULET_FIELD_HASH_KEY": secrets.token_urlsafe(40),
    "SITE_URL": "https://hjulet.kommun.example",
}
# Variables that settings (or Django's checks) read; the subprocesses start from none of them.
SETTINGS_VARIABLES = (
    "HJULET_ENV",
    "HJULET_DEBUG",
    "HJULET_DATA_DIR",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "HJULET_FIELD_KEYS",
    "HJULET_FIELD_HASH_KEY",
    "SITE_URL",
    "HJULET_REQUIRE_2FA",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by tests/conftest.py for the browser tests
)


def _run(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    clean["DJANGO_SETTINGS_MODULE"] = "hjulet.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def _setup(**env):
    return _run(["-c", "import django; django.setup()"], **env)


def _last_line(result):
    lines = result.stderr.strip().splitlines()
    return lines[-1] if lines else ""


# --- Start-up -------------------------------------------------------------------------------


def test_production_starts_with_everything_set():
    result = _setup(**PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECRET_KEY", None),
        ("SECRET_KEY", "too-short-0123456789"),
        ("ALLOWED_HOSTS", None),
        ("ALLOWED_HOSTS", " , "),
        ("DATABASE_URL", None),
        ("DATABASE_URL", "sqlite:////tmp/hjulet.sqlite3"),
        ("HJULET_FIELD_KEYS", None),
        ("HJULET_FIELD_KEYS", " , "),
        ("HJULET_FIELD_HASH_KEY", None),
    ],
)
def test_production_refuses_to_start_without(variable, value):
    env = dict(PRODUCTION)
    if value is None:
        del env[variable]
    else:
        env[variable] = value
    result = _setup(**env)
    assert result.returncode != 0
    last = _last_line(result)
    assert last.startswith("django.core.exceptions.ImproperlyConfigured:"), result.stderr
    assert variable in last


def test_unknown_environment_is_refused():
    result = _setup(HJULET_ENV="staging")
    assert result.returncode != 0
    assert "HJULET_ENV" in _last_line(result)


def test_production_passes_the_deployment_checklist():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deployment_checklist_fails_on_a_warning():
    # The check above can fail: a site without HTTPS redirect is warned about (security.W008).
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        SECURE_SSL_REDIRECT="0",
    )
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_development_needs_nothing():
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS)"
    )
    result = _run(["-c", probe])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["True", "django.db.backends.sqlite3"]
    result = _run(["manage.py", "check"])
    assert result.returncode == 0, result.stderr


# --- Health check ---------------------------------------------------------------------------


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_unavailable(client, db):
    with mock.patch.object(
        connections["default"], "cursor", side_effect=OperationalError("server closed")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert client.get("/healthz").status_code == 200


def test_healthz_answers_503_without_a_database_server():
    # A real refused connection: nothing listens on port 1.
    probe = (
        "import django; django.setup(); from django.test import Client; "
        "print(Client().get('/healthz').status_code)"
    )
    result = _run(["-c", probe], DATABASE_URL="postgres://postgres@127.0.0.1:1/hjulet")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "503"


# --- Security headers -----------------------------------------------------------------------


def _csp(response):
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("who", ["anonymous", "staff member"])
def test_security_headers(client, cast, login, who):
    if who == "anonymous":
        response = client.get("/account/login/")
    else:
        response = login(cast.same_unit).get("/")
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    if who != "anonymous":
        assert "no-store" in response.headers["Cache-Control"]


# --- Login throttling -----------------------------------------------------------------------


def _log_in(client, username, password, ip="127.0.0.1"):
    response = client.post(
        "/account/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )
    return response, client.session.get("_auth_user_id")


def test_sixth_login_after_five_failures_is_refused(client, cast):
    username = cast.same_unit.username
    for _attempt in range(5):
        response, user_id = _log_in(client, username, "wrong-password")
        assert user_id is None
    response, user_id = _log_in(client, username, PASSWORD)
    assert user_id is None, "the right password must not help once the user name is locked"
    assert response.status_code in {403, 429}


def test_four_failures_do_not_lock(client, cast):
    username = cast.same_unit.username
    for _attempt in range(4):
        response, user_id = _log_in(client, username, "wrong-password")
        assert response.status_code == 200
        assert user_id is None
    response, user_id = _log_in(client, username, PASSWORD)
    assert response.status_code == 302
    assert user_id == str(cast.same_unit.pk)


def test_lockout_is_by_user_name_from_any_address(client, cast):
    for _attempt in range(5):
        _log_in(client, cast.same_unit.username, "wrong-password")
    # Another person at the same address can still log in; the locked name cannot, elsewhere
    # either (tests/test_login.py covers back-off, the address limit and the known browser).
    _response, user_id = _log_in(client, cast.sibling.username, PASSWORD)
    assert user_id == str(cast.sibling.pk)
    client.logout()
    client.cookies.clear()
    _response, user_id = _log_in(client, cast.same_unit.username, PASSWORD, ip="10.1.2.3")
    assert user_id is None
