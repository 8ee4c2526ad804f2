"""Porte-Voix settings: one file, driven by environment variables (see README, Configuration)."""

import base64
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portevoix.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(env_str("PORTEVOIX_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    # A self-hosted trial must work without configuration, so the first run writes a random key
    # into the data folder; production sets PORTEVOIX_SECRET_KEY.
    configured = env_str("PORTEVOIX_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret.key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("PORTEVOIX_DEBUG", default=False)
ALLOWED_HOSTS = env_list("PORTEVOIX_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("PORTEVOIX_CSRF_TRUSTED_ORIGINS", default=[])
PUBLIC_URL = env_str("PORTEVOIX_PUBLIC_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves its API docs page from its own static files, never from a CDN
    "django_tasks_db",
    "axes",
    "portevoix.jobs",
    "portevoix.audit",
    "portevoix.accounts",
    "portevoix.people",
    "portevoix.policies",
    "portevoix.asks",
    "portevoix.incidents",
    "portevoix.channels",
    "portevoix.links",
    "portevoix.guidelines",
    "portevoix.quizzes",
    "portevoix.ambassadors",
    "portevoix.crisis",
    "portevoix.content",
    "portevoix.publishing",
    "portevoix.inbox",
    "portevoix.dashboard",
    "portevoix.demo",
    "portevoix.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portevoix.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portevoix.urls"
WSGI_APPLICATION = "portevoix.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portevoix.accounts.context_processors.navigation",
                "portevoix.crisis.context_processors.crisis_banner",
            ],
        },
    },
]


def _databases() -> dict[str, Any]:
    url = env_str("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        return {"default": config}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "portevoix.sqlite3",
            "OPTIONS": {
                # IMMEDIATE makes a writing transaction take the lock at BEGIN, so two writers
                # queue on busy_timeout instead of failing with "database is locked" mid-way.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": DATA_DIR / "test.sqlite3"},
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) speed up PostgreSQL; SQLite builds the same index without the extra column.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Per-process memory cache: short-lived aggregates and API rate limits. Several web processes
# each keep their own; a shared cache can be configured here when rate limits must be global.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login rate limiting: a (user name, address) pair is locked out after this many failures.
AXES_FAILURE_LIMIT = env_int("PORTEVOIX_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/login_locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("PORTEVOIX_PROXY_COUNT", default=0)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("PORTEVOIX_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("PORTEVOIX_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Project-wide files (the stylesheet) live beside the apps, not inside one, so finders need this.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Uploaded files (images of suggested posts): served only through views that check who asks.
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# The demo serves files straight from the packages without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

_EMAIL_BACKEND = env_str("PORTEVOIX_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
MAILERS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": (
            {
                "host": env_str("PORTEVOIX_EMAIL_HOST", "localhost"),
                "port": env_int("PORTEVOIX_EMAIL_PORT", default=25),
                "username": env_str("PORTEVOIX_EMAIL_USER"),
                "password": env_str("PORTEVOIX_EMAIL_PASSWORD"),
                "use_tls": env_bool("PORTEVOIX_EMAIL_TLS", default=False),
                "timeout": 10,
            }
            if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
            else {"file_path": str(DATA_DIR / "mail")}
            if _EMAIL_BACKEND.endswith("filebased.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("PORTEVOIX_EMAIL_FROM", "Porte-Voix <no-reply@localhost>")

# How long a worker may stay silent before it counts as stopped.
WORKER_HEARTBEAT_SECONDS = env_int("PORTEVOIX_WORKER_HEARTBEAT_SECONDS", default=5)
WORKER_STALE_SECONDS = env_int("PORTEVOIX_WORKER_STALE_SECONDS", default=30)
# A job found abandoned by dead workers more often than this is failed as a poison job.
JOBS_MAX_REAPS = env_int("PORTEVOIX_JOBS_MAX_REAPS", default=3)
IMPORT_MAX_BYTES = env_int("PORTEVOIX_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)


def _token_keys() -> list[str]:
    # Channels' tokens are encrypted at rest with Fernet keys kept out of the database: the
    # first key encrypts, all of them decrypt (rotation). Generated into the data folder for a
    # trial, like the secret key; production sets PORTEVOIX_TOKEN_KEYS.
    configured = env_list("PORTEVOIX_TOKEN_KEYS", default=[])
    if configured:
        return configured
    key_file = DATA_DIR / "token.key"
    if not key_file.exists():
        key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        key_file.chmod(0o600)
    return [key_file.read_text().strip()]


CHANNEL_TOKEN_KEYS = _token_keys()
# Publishing outbox (portevoix.channels): how long a claim holds before the sweep takes it back
# to check on the network, how often the sweep runs, and how many tries before a post fails.
CHANNELS_LEASE_SECONDS = env_int("PORTEVOIX_CHANNELS_LEASE_SECONDS", default=120)
CHANNELS_SWEEP_SECONDS = env_int("PORTEVOIX_CHANNELS_SWEEP_SECONDS", default=30)
CHANNELS_MAX_ATTEMPTS = env_int("PORTEVOIX_CHANNELS_MAX_ATTEMPTS", default=6)
CHANNELS_RETRY_BASE_SECONDS = env_int("PORTEVOIX_CHANNELS_RETRY_BASE_SECONDS", default=5)
CHANNELS_HTTP_TIMEOUT_SECONDS = env_int("PORTEVOIX_CHANNELS_HTTP_TIMEOUT_SECONDS", default=15)
# Servers a channel may be connected to (Mastodon, a Bluesky PDS) must be public unless this is
# set: a server on the premises, or the local test servers.
CHANNELS_ALLOW_PRIVATE_SERVERS = env_bool("PORTEVOIX_CHANNELS_ALLOW_PRIVATE_SERVERS", default=False)


def _channel_apps() -> dict[str, tuple[str, str]]:
    # The installation's own app on networks whose apps are made by hand in a developer console
    # (X, LinkedIn, Meta for Facebook and Instagram), for organisations that set none of their own
    # on the channels' app page: {"x": (client id, client secret), ...}.
    apps = {}
    for key in ("x", "linkedin", "meta"):
        id_name, secret_name = f"PORTEVOIX_{key.upper()}_CLIENT_ID", f"PORTEVOIX_{key.upper()}_CLIENT_SECRET"
        client_id, client_secret = env_str(id_name).strip(), env_str(secret_name).strip()
        if bool(client_id) != bool(client_secret):
            raise ImproperlyConfigured(f"Set both {id_name} and {secret_name}, or neither.")
        if client_id:
            apps[key] = (client_id, client_secret)
    return apps


CHANNEL_APPS = _channel_apps()
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "format": "time=%(asctime)s level=%(levelname)s logger=%(name)s message=%(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": env_str("PORTEVOIX_LOG_LEVEL", "INFO")},
    # httpx logs every request's address at INFO, query string included: some networks (Meta's
    # token exchange) carry secrets there.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "mail.log": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
