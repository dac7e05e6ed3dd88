"""Invitation and password-reset e-mails: the link is made when the e-mail is sent.

A queued task is a database row in production, readable in the admin. So the queue holds only
the person's id and the kind of link; the worker makes the token, renders the message and
sends it. No token, and no link that carries one, is ever stored.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from accounts.models import User
from core.site import absolute_url, site_url
from notifications.tasks import send_email

TEMPLATES = {
    "invitation": ("accounts/invitation_subject.txt", "accounts/invitation_email.txt"),
    "reset": (
        "registration/password_reset_subject.txt",
        "registration/password_reset_email.html",
    ),
}


def password_link(user):
    """The one-time link where the person chooses a password (valid PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return absolute_url(path)


def queue_account_link(user, kind):
    """Send the e-mail of `kind` once the surrounding transaction commits."""
    if kind not in TEMPLATES:
        raise ValueError(kind)
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: send_account_link.enqueue(user_id=user.pk, kind=kind, language=language)
    )


@task()
def send_account_link(user_id, kind, language=None):
    # Deactivated, or the address removed, since it was queued: nothing to send.
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return
    subject_template, body_template = TEMPLATES[kind]
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"user": user, "link": password_link(user), "site_url": site_url()}
        subject = "".join(loader.render_to_string(subject_template, context).splitlines())
        body = loader.render_to_string(body_template, context)
    send_email.call(subject=subject, body=body, to=[user.email])
