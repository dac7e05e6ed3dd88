"""Login, password change and the two-factor pages. Rules: accounts/throttle.py, two_factor.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import throttle
from accounts.access import login_only
from people import two_factor


def try_again_text(until):
    local = timezone.localtime(until)
    if local.date() == timezone.localdate():
        when = formats.time_format(local, "H:i")
    else:
        when = formats.date_format(local, "j F H:i")
    return _("Try again after %(time)s.") % {"time": when}


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # The person's own browser is then not held by a lock an outsider caused
        # (accounts/throttle.py).
        throttle.remember_browser(response, form.get_user())
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(two_factor_relaxed=not two_factor.enforced(), **kwargs)


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Wrong old passwords count as failed logins of the person (the same lock)."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        username = self.user.get_username()
        # No known-browser exemption: the threat is someone at the person's own computer.
        until = throttle.locked_until(self.request, username, trust_browser=False)
        if until:
            raise ValidationError(
                " ".join([_("Too many wrong passwords."), try_again_text(until)]),
                code="locked",
            )
        try:
            return super().clean_old_password()
        except ValidationError:
            throttle.record_failure(self.request, username)
            raise


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


# -- two-factor ----------------------------------------------------------------------------------


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off"}),
    )


class AppCodeForm(CodeForm):
    token = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=10,
        help_text=gettext_lazy("Six digits."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("shell:start")


def _attempt(form, action, *args):
    """Run a service with the typed code; errors land on the form."""
    if not form.is_valid():
        return None
    try:
        return action(*args, form.cleaned_data["token"])
    except ValidationError as error:
        form.add_error("token", error)
        return None


@login_only
def verify(request):
    if request.user.is_verified() or not two_factor.user_has_device(request.user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and _attempt(form, two_factor.verify, request):
        return redirect(_next(request))
    return render(
        request, "accounts/two_factor/verify.html", {"form": form, "next": _next(request)}
    )


@login_only
def setup(request):
    user = request.user
    if two_factor.user_has_device(user):
        return redirect("two_factor")
    device = two_factor.pending_device(user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST":
        codes = _attempt(form, two_factor.confirm, request, device)
        if codes:
            return render(
                request,
                "accounts/two_factor/codes.html",
                {"codes": codes, "next": _next(request), "first_time": True},
            )
    return render(
        request,
        "accounts/two_factor/setup.html",
        {
            "form": form,
            "qr": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            "required": two_factor.required(user),
            "next": _next(request),
        },
    )


@login_only
def overview(request):
    user = request.user
    return render(
        request,
        "accounts/two_factor/overview.html",
        {
            "active": two_factor.user_has_device(user),
            "required": two_factor.required(user),
            "role_requires": two_factor.role_requires(user),
            "relaxed": not two_factor.enforced(),
            "remaining": two_factor.remaining_backup_codes(user),
            "form": CodeForm(),
        },
    )


@login_only
@require_POST
def renew_codes(request):
    form = CodeForm(request.POST)
    codes = _attempt(form, two_factor.renew_backup_codes, request.user)
    if codes:
        return render(request, "accounts/two_factor/codes.html", {"codes": codes})
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("two_factor")


@login_only
@require_POST
def disable(request):
    form = CodeForm(request.POST)
    if _attempt(form, two_factor.disable, request.user) is None and form.errors:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, _("Two-factor authentication is turned off."))
    return redirect("two_factor")
