"""Settings come from the environment.

Development (the default) needs nothing configured: an SQLite file under ./data, the console
e-mail backend and tasks run at once. Production (HJULET_ENV=production) refuses to start
without a secret key, allowed hosts and a PostgreSQL database.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("HJULET_DATA_DIR", BASE_DIR / "data"))

ENV = os.environ.get("HJULET_ENV", "development")
if ENV not in {"development", "production"}:
    raise ImproperlyConfigured("HJULET_ENV must be 'development' or 'production'.")
PRODUCTION = ENV == "production"
DEBUG = not PRODUCTION and os.environ.get("HJULET_DEBUG", "1") == "1"


def _env_list(name):
    return [v.strip() for v in os.environ.get(name, "").split(",") if v.strip()]


if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Production needs SECRET_KEY (at least 50 characters).")
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS.")
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("Production needs DATABASE_URL pointing at PostgreSQL.")
    # The protected identity at rest (core/crypto.py): never derived from SECRET_KEY here.
    for _name in ("HJULET_FIELD_KEYS", "HJULET_FIELD_HASH_KEY"):
        if not os.environ.get(_name, "").strip(" ,"):
            raise ImproperlyConfigured(f"Production needs {_name} (see docs/registerutdrag.md).")
else:
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "development-only-key-never-used-in-production-0123456789"
    )
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "testserver"]

# Fernet keys for protected fields, newest first, and the key of their search hashes. Empty in
# development: core/crypto.py then derives both from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = _env_list("HJULET_FIELD_KEYS")
FIELD_HASH_KEY = os.environ.get("HJULET_FIELD_HASH_KEY", "")

CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")
# The address in links sent by e-mail (invitations, reminders), e.g. https://hjulet.kommun.se
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'hjulet.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if "DATABASE_URL" not in os.environ:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "organisation",
    "legal",
    "audit",
    "notifications",
    "actions",
    "people",
    "retention",
    "shell",
    "deviations",
    "analysis",
    "routines",
    "processes",
    "risks",
    "inspections",
    "feedback",
    "internal_control",
    "privacy",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.IdleTimeoutMiddleware",
    "people.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: a database failure in a view answers 503 and keeps the report draft (503.html).
    "core.unavailable.DatabaseUnavailableMiddleware",
]

if PRODUCTION:
    # Static files straight from the app servers; development uses runserver's own.
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "hjulet.urls"
WSGI_APPLICATION = "hjulet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "shell.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "shell:start"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (accounts/throttle.py): a lock per user name from any address, doubling
# with every further block of failures up to a cap, and a limit per address across user names.
HJULET_LOGIN_FAILURE_LIMIT = int(os.environ.get("HJULET_LOGIN_FAILURE_LIMIT", "5"))
HJULET_LOGIN_LOCK_MINUTES = int(os.environ.get("HJULET_LOGIN_LOCK_MINUTES", "1"))
HJULET_LOGIN_LOCK_MAX_MINUTES = int(os.environ.get("HJULET_LOGIN_LOCK_MAX_MINUTES", "60"))
HJULET_LOGIN_MEMORY_HOURS = int(os.environ.get("HJULET_LOGIN_MEMORY_HOURS", "24"))
HJULET_LOGIN_ADDRESS_LIMIT = int(os.environ.get("HJULET_LOGIN_ADDRESS_LIMIT", "30"))
HJULET_LOGIN_ADDRESS_WINDOW_MINUTES = int(
    os.environ.get("HJULET_LOGIN_ADDRESS_WINDOW_MINUTES", "15")
)
AXES_HANDLER = "accounts.throttle.BackoffHandler"
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The failure log must reach back over HJULET_LOGIN_MEMORY_HOURS; axes' attempt rows are not
# used for the decision and are cleared after a day.
AXES_COOLOFF_TIME = 24
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# How many reverse proxies of our own stand in front (core/client_ip.py): the access log and
# the login throttling then read the client's address from X-Forwarded-For.
HJULET_PROXY_COUNT = int(os.environ.get("HJULET_PROXY_COUNT", "0"))
# Off where the statistics page reads a replica: the periodic task keeps the counts instead.
HJULET_STATISTICS_REFRESH_ON_READ = os.environ.get("HJULET_STATISTICS_REFRESH_ON_READ", "1") == "1"
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The order of a process's activities is unique and deferred on PostgreSQL; SQLite, the embedded
# default, cannot defer it and Django says so at every start. The services keep the order 1..n.
# Likewise a covering index (feedback's statistics) is one on PostgreSQL and a plain one on
# SQLite, which says so (W040) at every start.
SILENCED_SYSTEM_CHECKS = ["models.W038", "models.W040"]

# Tasks: run at once in development so nothing needs a worker; production queues in the
# database and runs `manage.py db_worker`.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database" if PRODUCTION else "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hjulet@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
# Logged out after this many minutes without a request (accounts/sessions.py); 0 turns it off.
HJULET_IDLE_TIMEOUT_MINUTES = int(os.environ.get("HJULET_IDLE_TIMEOUT_MINUTES", "30"))
# Two-factor authentication for the roles that read restricted tracks and for administrators
# (people/two_factor.py). On in production; off in development so every demo role can log in.
HJULET_REQUIRE_2FA = os.environ.get("HJULET_REQUIRE_2FA", "1" if PRODUCTION else "0") == "1"
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Hjulet")
# Nobody reads another person's secret key or backup codes in the admin: a lost phone is reset
# from the person's page in Hjulet.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "0") == "1"
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole municipal domain to HTTPS for browsers at large: that is
        # the municipality's decision (SECURE_HSTS_PRELOAD=1), not the application's default.
        SILENCED_SYSTEM_CHECKS += ["security.W021"]

AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
