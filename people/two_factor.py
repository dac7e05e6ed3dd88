"""Two-factor authentication (TOTP through django-otp, with one-time backup codes).

Who must use it is read from data: the roles named as readers of a restricted track in the rule
tables (lex Sarah, lex Maria) and the roles holding `system.admin`. Everyone else may turn it on.
HJULET_REQUIRE_2FA switches the requirement (on in production, off in development, where the
demo roles log in with the printed password and the login page says two-factor is not enforced).
A person who has a device is always asked for a code, whatever the setting.
"""

import re
import time
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.checks import Tags, Warning, register
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RoleAssignment
from audit.services import record_event
from legal.models import TrackRule
from people.services import may_manage_user

ADMIN_KEY = "system.admin"
BACKUP_CODES = 10
DEVICE_NAME = "Hjulet"


# -- who must ------------------------------------------------------------------------------------


def enforced():
    return settings.HJULET_REQUIRE_2FA


def role_requires(user):
    """Whether one of the person's current roles reads restricted tracks or administers."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_hjulet_needs_2fa", None)
    if cached is not None:
        return cached
    readers = TrackRule.objects.in_force().filter(restricted=True).values("reader_roles")
    needs = (
        RoleAssignment.objects.active()
        .filter(user=user, node__is_active=True)
        .filter(Q(role__in=readers) | Q(role__permissions__key=ADMIN_KEY))
        .exists()
    )
    user._hjulet_needs_2fa = needs
    return needs


def required(user):
    return enforced() and role_requires(user)


@register(Tags.security, deploy=True)
def check_two_factor_required(app_configs, **kwargs):
    if getattr(settings, "PRODUCTION", False) and not settings.HJULET_REQUIRE_2FA:
        return [
            Warning(
                "HJULET_REQUIRE_2FA is off in production: the roles that read lex Sarah and "
                "lex Maria, and the administrators, log in with a password alone.",
                hint="Remove HJULET_REQUIRE_2FA=0 from the environment.",
                id="hjulet.W010",
            )
        ]
    return []


# -- state changes -------------------------------------------------------------------------------


def pending_device(user):
    """The person's unconfirmed authenticator, made on first visit to the setup page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def _new_backup_codes(user):
    static, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": DEVICE_NAME, "confirmed": True}
    )
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def confirm(request, device, token):
    """Turn the authenticator on once it gives a right code; returns the new backup codes."""
    user = request.user
    codes = None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        # A wrong code must still count towards django-otp's own throttle: no rollback.
        if device.verify_token((token or "").replace(" ", "")):
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_backup_codes(user)
            record_event(user, "accounts.two_factor_enabled", user)
    if codes is None:
        raise ValidationError(
            _("The code was not right. Check the time on your phone and try a new code."),
            code="bad_code",
        )
    otp_login(request, device)
    return codes


def verify(request, token):
    """Log the session in with a code from the app or a backup code."""
    device = match_token(request.user, (token or "").replace(" ", ""))
    if device is None:
        raise ValidationError(_("The code was not right. Try again."), code="bad_code")
    otp_login(request, device)
    return device


def _check_own_code(user, token):
    if match_token(user, (token or "").replace(" ", "")) is None:
        raise ValidationError(_("The code was not right. Try again."), code="bad_code")


def renew_backup_codes(user, token):
    _check_own_code(user, token)
    with transaction.atomic():
        codes = _new_backup_codes(user)
        record_event(user, "accounts.backup_codes_renewed", user)
    return codes


def disable(user, token):
    """The person turns two-factor off: only where their roles do not require it."""
    if role_requires(user) and enforced():
        raise ValidationError(
            _("Your role requires two-factor authentication, so it cannot be turned off."),
            code="required",
        )
    _check_own_code(user, token)
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        record_event(user, "accounts.two_factor_disabled", user)


def reset(person, *, actor):
    """An administrator removes a person's devices (a lost phone); they set it up again."""
    if not may_manage_user(actor, person):
        raise PermissionDenied
    with transaction.atomic():
        removed = list(devices_for_user(person, confirmed=None))
        for device in removed:
            device.delete()
        record_event(person, "accounts.two_factor_reset", actor)
    return bool(removed)


def remaining_backup_codes(user):
    return StaticToken.objects.filter(device__user=user).count()


def qr_svg(device):
    """The authenticator's address as an inline SVG (no script, no outside service)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage)
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    # A fixed size a phone camera reads well; the surrounding element carries the text label.
    return re.sub(
        r'^<svg width="[^"]*" height="[^"]*"',
        '<svg width="220" height="220" aria-hidden="true" focusable="false"',
        svg,
    )


def secret_text(device):
    """The key in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


# -- enforcement ---------------------------------------------------------------------------------

CLEAR_SINCE = "hjulet_2fa_clear_since"
RECHECK_SECONDS = 300
# Pages a logged-in person reaches before the second step.
OPEN_URL_NAMES = {"two_factor_verify", "two_factor_setup", "logout", "set_language", "healthz"}
OPEN_PREFIXES = ("/static/", "/media/", "/i18n/")


def _send_to(request, name):
    url = resolve_url(name)
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(url)
    if request.method != "GET":
        return redirect_to_login("/", url)
    return redirect_to_login(request.get_full_path(), url)


def _check(request, user):
    """Where the person must go first, or None; a clear answer is kept for a few minutes."""
    if user_has_device(user):
        return "two_factor_verify"
    if required(user):
        return "two_factor_setup"
    request.session[CLEAR_SINCE] = int(time.time())
    return None


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    # Asked at login, so the first page after it costs nothing extra.
    if request is not None and hasattr(request, "session"):
        request.session.pop(CLEAR_SINCE, None)
        _check(request, user)


class TwoFactorMiddleware:
    """Asks for the second step where the person has a device, or must set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if (match and match.url_name in OPEN_URL_NAMES) or request.path.startswith(OPEN_PREFIXES):
            return None
        # Asked once every few minutes, not on every click: a role or device added meanwhile
        # is noticed at the next check.
        if time.time() - request.session.get(CLEAR_SINCE, 0) < RECHECK_SECONDS:
            return None
        target = _check(request, user)
        return _send_to(request, target) if target else None
