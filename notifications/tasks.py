from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(subject, body, to, html_body=None, from_email=None):
    """Send one e-mail; a failure raises so the task result records it."""
    message = EmailMultiAlternatives(subject, body, from_email, list(to))
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
