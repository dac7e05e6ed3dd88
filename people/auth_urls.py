"""Login, logout, password change and reset, two-factor: marked for the access test."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts.access import login_only, public
from people import login_views
from people.forms import QueuedPasswordResetForm

urlpatterns = [
    path(
        "login/",
        public(login_views.LoginView.as_view()),
        name="login",
    ),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/",
        login_only(
            login_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done"))
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        login_only(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        public(auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm)),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        public(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("two-factor/", login_views.overview, name="two_factor"),
    path("two-factor/verify/", login_views.verify, name="two_factor_verify"),
    path("two-factor/setup/", login_views.setup, name="two_factor_setup"),
    path("two-factor/codes/", login_views.renew_codes, name="two_factor_codes"),
    path("two-factor/off/", login_views.disable, name="two_factor_disable"),
]
