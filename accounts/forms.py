from django.contrib.auth.forms import PasswordResetForm

from accounts.links import queue_account_link


class QueuedPasswordResetForm(PasswordResetForm):
    """Queues the reset e-mail; the worker makes the link, so no token is stored on the way."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        queue_account_link(context["user"], "reset")
