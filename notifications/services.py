from django.db import transaction

from notifications.tasks import send_email


def queue_email(*, subject, body, to, html_body=None, from_email=None):
    """Queue an e-mail once the surrounding transaction commits, never for a rolled-back one."""
    transaction.on_commit(
        lambda: send_email.enqueue(
            subject=str(subject),
            body=body,
            to=list(to),
            html_body=html_body,
            from_email=from_email,
        )
    )
