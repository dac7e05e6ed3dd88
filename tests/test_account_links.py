"""Invitation and reset links never stored in clear; every e-mail link built from SITE_URL.

Issue 8, point 7: the task queue is a database table in production (and readable in the
admin), so a queued task carries the person's id and the kind of link only; the worker makes the
token when it sends the e-mail.
"""

import json

import pytest
from django.core import checks, mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core.site import absolute_url, check_site_url
from people import services
from people.links import send_account_link

SITE = "https://hjulet.example.org"
CONFIRM_PATH = "/account/password/reset/"


@pytest.fixture
def queued(settings):
    """Tasks go to the database, as in production, instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SITE_URL = SITE


def _rows():
    return list(DBTaskResult.objects.all())


def _run_queued():
    """What the worker does: call each queued task with its stored arguments."""
    for row in _rows():
        task = row.task
        task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


def _link(message):
    return next(line for line in message.body.splitlines() if CONFIRM_PATH in line).strip()


def test_a_reset_request_queues_no_token_and_the_sent_link_works(
    cast, client, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": cast.same_unit.email})
    assert response.status_code == 302
    [row] = _rows()
    stored = json.dumps(row.args_kwargs)
    assert row.args_kwargs["kwargs"]["kind"] == "reset"
    assert CONFIRM_PATH not in stored and "http" not in stored
    assert mail.outbox == []

    _run_queued()
    [message] = mail.outbox
    link = _link(message)
    assert link.startswith(f"{SITE}{CONFIRM_PATH}")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in json.dumps([r.args_kwargs for r in _rows()])
    follow = client.get(link[len(SITE) :], follow=True)
    assert follow.context["validlink"] is True


def test_an_invitation_queues_no_token_and_the_sent_link_works(
    cast, client, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = services.create_user(
            actor=cast.admin,
            username="nyanstalld",
            first_name="Nora",
            last_name="Nyanställd",
            email="nora@kommun.test",
        )
    [row] = _rows()
    assert row.args_kwargs["kwargs"] == {
        "user_id": person.pk,
        "kind": "invitation",
        "language": "sv",
    }
    _run_queued()
    [message] = mail.outbox
    assert message.to == ["nora@kommun.test"]
    assert "nyanstalld" in message.body
    link = _link(message)
    assert link.startswith(f"{SITE}{CONFIRM_PATH}")
    assert f"{SITE}/account/password/reset/\n" in message.body + "\n"  # "Forgot your password?"
    assert client.get(link[len(SITE) :], follow=True).context["validlink"] is True


def test_nothing_is_sent_to_an_account_deactivated_since(cast, queued):
    cast.sibling.is_active = False
    cast.sibling.save()
    send_account_link.call(user_id=cast.sibling.pk, kind="invitation", language="sv")
    assert mail.outbox == []


def test_every_link_is_built_from_site_url(settings):
    settings.SITE_URL = SITE
    assert absolute_url("/routines/") == f"{SITE}/routines/"
    assert absolute_url("routines/") == f"{SITE}/routines/"
    settings.SITE_URL = ""
    assert absolute_url("/x/") == "http://127.0.0.1:8000/x/"


def test_check_deploy_fails_without_an_https_site_url(settings):
    settings.SITE_URL = ""
    assert [e.id for e in check_site_url(None)] == ["hjulet.E001"]
    found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert "hjulet.E001" in [e.id for e in found]
    settings.SITE_URL = "http://hjulet.example.org"
    assert [e.id for e in check_site_url(None)] == ["hjulet.E002"]
    settings.SITE_URL = SITE
    assert check_site_url(None) == []
    # Only with --deploy: development runs without it.
    found = checks.run_checks(include_deployment_checks=False)
    assert "hjulet.E001" not in [e.id for e in found]
