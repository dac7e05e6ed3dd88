from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from notifications.services import queue_email


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset link as a background task instead of inside the request."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        queue_email(
            subject=subject, body=body, to=[to_email], html_body=html, from_email=from_email
        )
