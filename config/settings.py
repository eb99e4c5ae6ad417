"""fagdigital settings: one module; every difference between installations comes from environment variables.

See docs/configuration.md for the full reference.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FAGDIGITAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, *, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, *, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# Under pytest the test settings apply unless FAGDIGITAL_TESTING says otherwise.
TESTING = env_bool("FAGDIGITAL_TESTING", default="pytest" in sys.modules)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
SECRET_KEY_MIN_LENGTH = 50
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105
elif len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH and not (DEBUG or TESTING):
    # It signs sessions, password-reset and sign-in links: a short one can be guessed offline.
    raise ImproperlyConfigured(
        f"SECRET_KEY is {len(SECRET_KEY)} characters long; production needs at least "
        f"{SECRET_KEY_MIN_LENGTH} random characters, e.g. from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default="localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "fagdigital.core",
    "fagdigital.accounts",
    "fagdigital.tenancy",
    "fagdigital.privacy",
    "fagdigital.orgs",
    "fagdigital.frameworks",
    "fagdigital.assessments",
    "fagdigital.analytics",
    "fagdigital.development",
    "fagdigital.demo",
    "fagdigital.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fagdigital.core.middleware.RequestLogMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fagdigital.core.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fagdigital.tenancy.middleware.CurrentOrganisationMiddleware",
    # Axes must be last: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fagdigital" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "fagdigital.core.context_processors.site",
                "fagdigital.tenancy.context_processors.organisation",
            ],
        },
    }
]

# SQLite under var/ is the embedded default (demo, development); production and tests use PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'fagdigital.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's task worker and web server use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
if os.environ.get("TEST_DATABASE_NAME"):
    # Lets several test runs share one PostgreSQL cluster, each with its own test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A per-process memory cache: dashboard figures are cached under a version every change bumps, so it
# needs no sharing between processes to stay correct.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", default=5000)},
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first so a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 2)
# E-mails a visitor can ask for (password reset, a new sign-in link): at most this many per address and
# per client address in the window (docs/decisions/0012). Counted in the default cache.
EMAIL_REQUEST_LIMIT_PER_ADDRESS = env_int("EMAIL_REQUEST_LIMIT_PER_ADDRESS", default=3)
EMAIL_REQUEST_LIMIT_PER_IP = env_int("EMAIL_REQUEST_LIMIT_PER_IP", default=20)
EMAIL_REQUEST_WINDOW_MINUTES = env_int("EMAIL_REQUEST_WINDOW_MINUTES", default=60)

# Brute-force protection: lock a username from an address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", default=15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Reverse proxies in front of the app that append to X-Forwarded-For (0: clients connect directly).
# The client's address, for lockouts and rate limits, is the one the outermost trusted proxy saw
# (fagdigital.accounts.client_ip); with 0 the header is ignored, so a client cannot pick an address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=env_int("AXES_PROXY_COUNT", default=0))
AXES_CLIENT_IP_CALLABLE = "fagdigital.accounts.client_ip.client_ip"
AXES_VERBOSE = False

# Sessions end after a period without activity and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", default=60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "da"
# English dates are written day month year with the month's name ("3 Sep 2026"), never US style.
FORMAT_MODULE_PATH = ["fagdigital.core.formats"]
LANGUAGES = [("da", _("Dansk")), ("en", _("Engelsk"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    BASE_DIR / "fagdigital" / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MANIFEST_STRICT = False
# Files served at the site's root: /favicon.ico, which browsers and tools ask for without a link.
WHITENOISE_ROOT = BASE_DIR / "fagdigital" / "core" / "root"
MEDIA_ROOT = VAR_DIR / "media"

# Assessments: how long evidence counts towards an estimate, how long a sign-in link in an
# invitation works, and the smallest group any aggregate is shown for (never below 5).
# The address people reach the app at, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
ESTIMATE_VALIDITY_DAYS = env_int("ESTIMATE_VALIDITY_DAYS", default=730)
SIGNIN_LINK_MAX_AGE_DAYS = env_int("SIGNIN_LINK_MAX_AGE_DAYS", default=14)
# Called (dotted paths) in the transaction that changes a person's evidence, by apps that keep derived
# data (analytics' rollups). Lower apps cannot import higher ones; this list is the inversion point.
EVIDENCE_CHANGED_HANDLERS: list[str] = []
# Called in the transaction that closes a round: publishing its figures (docs/decisions/0010).
CAMPAIGN_CLOSED_HANDLERS: list[str] = ["fagdigital.analytics.services.on_campaign_closed"]
# The same inversion for pages of low apps that show what higher apps know (decision 0013): the home
# page's content (core) and the links from a person's page to their profile (orgs).
HOME_CONTEXT_PROVIDERS: list[str] = ["fagdigital.portal.home.home_context"]
PERSON_PAGE_LINK_PROVIDERS: list[str] = ["fagdigital.portal.person_links.profile_links"]
# Development plans (decision 0018): reminders this many days before a goal's deadline (task worker or
# `send_plan_reminders`), and the xAPI statement intake's limits per request.
DEVELOPMENT_REMINDER_DAYS = [int(day) for day in env_list("DEVELOPMENT_REMINDER_DAYS", default="14,3")]
XAPI_MAX_BODY_BYTES = env_int("XAPI_MAX_BODY_KILOBYTES", default=1024) * 1024
XAPI_MAX_STATEMENTS = env_int("XAPI_MAX_STATEMENTS", default=500)
ANONYMITY_MIN_GROUP = max(5, env_int("ANONYMITY_MIN_GROUP", default=5))
ANONYMITY_MIN_GROUP_FREE_TEXT = max(10, env_int("ANONYMITY_MIN_GROUP_FREE_TEXT", default=10))

# E-mail: console in development, a folder of .eml files in the demo, SMTP in production.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fagdigital <noreply@fagdigital.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: a database queue with `manage.py db_worker`; tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# Security headers. The CSP allows no inline script or style anywhere.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", default=False) else None
)
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
CSRF_COOKIE_HTTPONLY = True

# fagdigital's own settings.
FAGDIGITAL_ACCESSIBILITY_STATEMENT_URL = os.environ.get(
    "ACCESSIBILITY_STATEMENT_URL", "https://www.was.digst.dk/"
)
FAGDIGITAL_IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MEGABYTES", default=20) * 1024 * 1024
# People import: an uploaded file (personal data) that is not applied is deleted after this many hours;
# the last applied import can be undone for this many days (its before-images are kept that long).
FAGDIGITAL_IMPORT_RETENTION_HOURS = env_int("IMPORT_RETENTION_HOURS", default=24)
FAGDIGITAL_IMPORT_UNDO_DAYS = env_int("IMPORT_UNDO_DAYS", default=30)
FAGDIGITAL_DEMO_ENABLED = env_bool("DEMO", default=False)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "fagdigital.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": [], "propagate": False},
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every stylesheet and font it reads at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "fagdigital.request": {"level": "WARNING" if TESTING else "INFO"},
    },
}
