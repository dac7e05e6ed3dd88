"""The address of the site in every link that leaves it (e-mails, reminders, invitations).

Links are never built from the request: a Host header is the client's to choose, and a
background task has no request at all. Production must set SITE_URL; `check --deploy` fails
without it.
"""

from django.conf import settings
from django.core import checks

# Only for development and tests, where SITE_URL is usually empty.
DEVELOPMENT_URL = "http://localhost:8000"


def site_url():
    return (getattr(settings, "SITE_URL", "") or DEVELOPMENT_URL).rstrip("/")


def absolute_url(path):
    """The full address of a path of this site, e.g. absolute_url(obj.get_absolute_url())."""
    return f"{site_url()}/{path.lstrip('/')}"


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
