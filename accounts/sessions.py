"""Sessions end after inactivity (HJULET_IDLE_TIMEOUT_MINUTES) and after SESSION_COOKIE_AGE.

A computer left unlocked in a staff room should not stay logged in to lex Sarah cases. The
absolute age is pinned at the first request after login: noting the last activity saves the
session, and Django would otherwise push its expiry forward at every save.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

LAST_SEEN = "hjulet_last_seen"
# Noting every request would write the session on every click; a minute is precise enough.
RESOLUTION_SECONDS = 60


def _timed_out(request):
    response = (
        HttpResponseClientRedirect(resolve_url(settings.LOGIN_URL))
        # django-htmx's request.htmx is set further down the middleware chain.
        if request.headers.get("HX-Request") == "true"
        else redirect_to_login(request.get_full_path() if request.method == "GET" else "/")
    )
    logout(request)
    messages.info(
        request,
        _(
            "You were logged out after %(minutes)s minutes without activity. "
            "Log in again to continue."
        )
        % {"minutes": settings.HJULET_IDLE_TIMEOUT_MINUTES},
    )
    return response


def start_clock(request):
    """At login: the idle clock starts and the absolute age is pinned."""
    request.session[LAST_SEEN] = int(time.time())
    request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start_clock(request)


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(time.time())
            idle = settings.HJULET_IDLE_TIMEOUT_MINUTES * 60
            seen = session.get(LAST_SEEN)
            if idle and seen is not None and now - seen > idle:
                return _timed_out(request)
            if seen is None or "_session_expiry" not in session:
                start_clock(request)
            elif now - seen >= RESOLUTION_SECONDS:
                session[LAST_SEEN] = now
        return self.get_response(request)
