from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(subject, body, to, html_body=None, from_email=None):
    """Send one e-mail; a failure raises so the task result records it."""
    message = EmailMultiAlternatives(subject, body, from_email, list(to))
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()


@task()
def send_reminders_task():
    """The periodic reminder run (idempotent: a second run at once sends nothing)."""
    from notifications.reminders import send_due_reminders

    return send_due_reminders()


# Named periodic tasks: `manage.py run_scheduler` puts each on the queue every interval, and the
# worker (`manage.py db_worker`) runs them. Each must be safe to run twice. Other apps add theirs
# with `register_periodic` from their AppConfig.ready().
PERIODIC_TASKS = {
    "send_reminders": send_reminders_task,
}


def register_periodic(name, periodic):
    PERIODIC_TASKS[name] = periodic
