from django.core import mail
from django.core.management import call_command
from django_tasks import default_task_backend

from notifications.services import queue_email


def test_email_is_a_task_run_by_the_worker(
    transactional_db, settings, django_capture_on_commit_callbacks
):
    # transactional: the worker closes the connection between tasks, as it does in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(subject="Påminnelse", body="Hej", to=["a@example.org"])
    assert mail.outbox == []  # queued, not sent in the request
    call_command("db_worker", batch=True, verbosity=0)
    assert [m.subject for m in mail.outbox] == ["Påminnelse"]


def test_nothing_is_queued_when_the_transaction_rolls_back(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_email(subject="x", body="y", to=["a@example.org"])
    assert len(callbacks) == 1  # runs only on commit
    assert default_task_backend is not None
