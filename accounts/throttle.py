"""Login throttling: a lock per user name with back-off, and a limit per address.

django-axes records every failed login in its failure log (AccessFailureLog); the decisions
are made here from that log, so there is no second store to keep in step:

- user name: after HJULET_LOGIN_FAILURE_LIMIT failures the name is locked for
  HJULET_LOGIN_LOCK_MINUTES, from whatever address the guesses came. Every further block of
  failures doubles the lock, up to HJULET_LOGIN_LOCK_MAX_MINUTES. A successful login, or
  HJULET_LOGIN_MEMORY_HOURS without one, starts the count again. A lock always ends: an
  attacker cannot shut a person out for good, only for a short while per block of guesses.
- known browser: a browser where the person logged in before carries a signed cookie for
  that user name. Neither the name's lock (an outsider's guesses should not keep a colleague
  out of their own account) nor the address limit stops it, until the name's back-off has
  reached its cap.
- address: HJULET_LOGIN_ADDRESS_LIMIT failures from one address within
  HJULET_LOGIN_ADDRESS_WINDOW_MINUTES, whatever the user names, lock the address until the
  oldest of them falls out of the window.

Failures typed during a lock are refused without looking at the password and not counted, so
hammering a locked name does not lengthen its lock.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.core import signing
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone

from core.client_ip import client_ip

DEVICE_COOKIE = "hjulet_known_browser"
DEVICE_SALT = "accounts.throttle.known-browser"
DEVICE_MAX_AGE = 180 * 24 * 3600


def _minutes(name):
    return timedelta(minutes=getattr(settings, name))


def backoff_until(times, *, limit, first, cap):
    """When the lock earned by these failures (oldest first) ends, or None without a lock.

    Lock number k starts at the (k × limit)-th failure and lasts first × 2^(k-1), capped.
    """
    blocks = len(times) // limit
    if blocks == 0:
        return None
    started = times[blocks * limit - 1]
    return started + min(first * 2 ** (blocks - 1), cap)


def window_until(times, *, limit, window):
    """When the address may try again: once fewer than `limit` failures lie in the window."""
    if len(times) < limit:
        return None
    return times[len(times) - limit] + window


def _user_failures(username, now):
    # Exact match, as the login's own lookup: another spelling can never log this person in.
    since = now - timedelta(hours=settings.HJULET_LOGIN_MEMORY_HOURS)
    last_success = AccessLog.objects.filter(username=username).aggregate(at=Max("attempt_time"))[
        "at"
    ]
    if last_success and last_success > since:
        since = last_success
    return list(
        AccessFailureLog.objects.filter(username=username, attempt_time__gt=since)
        .order_by("attempt_time")
        .values_list("attempt_time", flat=True)
    )


def _address_failures(address, now):
    since = now - _minutes("HJULET_LOGIN_ADDRESS_WINDOW_MINUTES")
    return list(
        AccessFailureLog.objects.filter(ip_address=address, attempt_time__gt=since)
        .order_by("attempt_time")
        .values_list("attempt_time", flat=True)
    )


def known_browser(request, username):
    """Whether this browser logged in as this user name before (the signed cookie)."""
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value or not username:
        return False
    try:
        known = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return False
    return known == username


def remember_browser(response, user):
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(user.get_username(), salt=DEVICE_SALT),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def locked_until(request, username, *, trust_browser=True):
    """The moment the login (or password check) may be tried again, or None if it may now."""
    now = timezone.now()
    known = trust_browser and known_browser(request, username)
    ends = []
    if username:
        times = _user_failures(username, now)
        limit = settings.HJULET_LOGIN_FAILURE_LIMIT
        first = _minutes("HJULET_LOGIN_LOCK_MINUTES")
        cap = _minutes("HJULET_LOGIN_LOCK_MAX_MINUTES")
        # A known browser passes the name's lock until the back-off has reached its cap: so
        # much guessing bounds even someone holding the person's browser.
        at_cap = len(times) >= limit and first * 2 ** (len(times) // limit - 1) >= cap
        if not known or at_cap:
            ends.append(backoff_until(times, limit=limit, first=first, cap=cap))
    address = client_ip(request)
    # A known browser is not held by the address either: many colleagues behind one municipal
    # address mistyping at eight in the morning must not lock each other out.
    if address and not known:
        ends.append(
            window_until(
                _address_failures(address, now),
                limit=settings.HJULET_LOGIN_ADDRESS_LIMIT,
                window=_minutes("HJULET_LOGIN_ADDRESS_WINDOW_MINUTES"),
            )
        )
    ends = [end for end in ends if end and end > now]
    return max(ends) if ends else None


def record_failure(request, username):
    """A failed password check outside the login form (the old password when changing it)."""
    AccessFailureLog.objects.create(
        username=username,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
        http_accept=request.META.get("HTTP_ACCEPT", "")[:1025],
        path_info=request.path[:255],
        attempt_time=timezone.now(),
    )


class BackoffHandler(AxesDatabaseHandler):
    """Axes records the attempts; the lock decision is `locked_until` above."""

    def is_locked(self, request, credentials=None):
        username = get_client_username(request, credentials)
        until = locked_until(request, username)
        request.hjulet_locked_until = until
        return until is not None

    def get_failures(self, request, credentials=None):
        # Axes' own count (per attempt row, one limit for all) is not the rule here.
        return 0

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        # This failure may be the one that starts a lock: say so at once.
        already = request is None or getattr(request, "axes_locked_out", False)
        if not already and self.is_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def lockout_response(request, original_response=None, credentials=None):
    until = getattr(request, "hjulet_locked_until", None)
    if until is None:
        until = locked_until(request, get_client_username(request, credentials))
    until = timezone.localtime(until) if until else None
    return render(
        request,
        "registration/locked_out.html",
        {"until": until, "today": timezone.localdate()},
        status=429,
    )
