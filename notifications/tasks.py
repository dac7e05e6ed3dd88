from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(subject, body, to, html_body=None, from_email=None):
    """Send one e-mail; a failure raises so the task result records it."""
    message = EmailMultiAlternatives(subject, body, from_email, list(to))
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()


# Named periodic tasks: `manage.py run_scheduler` puts each on the queue every interval, and the
# worker (`manage.py db_worker`) runs them, in the order registered. Each must be safe to run
# twice. Every app adds its own with `register_periodic` from its AppConfig.ready(), so this
# module imports none of them (notifications' own: the reminder run, notifications/reminders.py).
PERIODIC_TASKS = {}


def register_periodic(name, periodic):
    """Run the task `periodic` (a django_tasks task taking no arguments) on every scheduler run."""
    registered = PERIODIC_TASKS.get(name)
    if registered is not None and registered is not periodic:
        raise ImproperlyConfigured(f"Two periodic tasks are named {name!r}.")
    PERIODIC_TASKS[name] = periodic
