"""The address of the site in every link that leaves it (e-mails, reminders, invitations).

Links are never built from the request in production: a Host header is the client's to
choose, and a background task has no request at all. Production must set SITE_URL;
`check --deploy` fails without it. In development, where SITE_URL is usually empty, a link
made while answering a request uses that request's address (its host already checked against
ALLOWED_HOSTS), and one made without a request (an e-mail sent by a task) the address that
`make run` serves, DEVELOPMENT_URL.
"""

from django.conf import settings
from django.core import checks

# Only for development and tests, where SITE_URL is usually empty: the address `make run`
# serves (runserver 127.0.0.1:$(PORT), PORT 8000 by default) and prints.
DEVELOPMENT_URL = "http://127.0.0.1:8000"


def site_url(request=None):
    configured = getattr(settings, "SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return DEVELOPMENT_URL


def absolute_url(path, request=None):
    """The full address of a path of this site, e.g. absolute_url(obj.get_absolute_url())."""
    return f"{site_url(request)}/{path.lstrip('/')}"


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    value = getattr(settings, "SITE_URL", "")
    if not value:
        return [
            checks.Error(
                "SITE_URL is not set: links in e-mails would point nowhere.",
                hint="Set SITE_URL to the public address, e.g. https://hjulet.kommun.se.",
                id="hjulet.E001",
            )
        ]
    if not value.startswith("https://"):
        return [
            checks.Error(
                "SITE_URL does not start with https://: links in e-mails would be sent "
                "over an unencrypted connection.",
                hint="Set SITE_URL to the public https address.",
                id="hjulet.E002",
            )
        ]
    return []
