"""Settings for esa-publish, read from the environment.

Development needs no configuration at all: SQLite next to the code, a console mail backend and
DEBUG on. Production is ``DEBUG=false`` plus real values; with DEBUG off the checks at the bottom
refuse to start on a default secret key, no allowed hosts or plain-HTTP cookies. Every variable is
listed in docs/DEPLOY.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import fontpkg_sarabun
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from esa_publish.env import (
    SettingsError,
    env_bool,
    env_int,
    env_list,
    env_path,
    env_rate,
    env_str,
    parse_database_url,
    parse_email_url,
)

# PyThaiNLP writes a data directory into $HOME on import unless told not to.
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "django-insecure-development-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The licence the DCAT catalogue (/catalog/dcat.jsonld) states for every published item.
OPEN_DATA_LICENSE = env_str("OPEN_DATA_LICENSE", "https://creativecommons.org/licenses/by/4.0/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_fsm",
    "guardian",
    "axes",
    "django_ratelimit",
    "csp",
    # The task queue (Django 6's tasks framework, backported) and its database backend.
    "django_tasks",
    "django_tasks_db",
    "esa_publish",
    "esa_publish.office",
    "catalog",
    "requests",
    "approvals",
    "notify",
    "outreach",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The request id and the one log line per request (covers static files too).
    "esa_publish.request_log.RequestLogMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for anonymous pages and API/feed responses that hold no secret (BREACH), after
    # whitenoise so static files (pre-compressed) never reach it.
    "esa_publish.compression.AnonymousGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # No answer to a signed-in user stays in a shared computer's browser cache (security.py).
    "esa_publish.security.NoStoreWhenSignedInMiddleware",
    # A NUL character in the path or query: 404/400 before any view queries with it.
    "esa_publish.security.RefuseNulMiddleware",
    # Security log: refused pages for signed-in users; loading it connects the failed-login
    # receivers too (esa_publish/security.py).
    "esa_publish.security.RefusalLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Notes drafts the server received; a post refused for an ended session goes back to its
    # form after signing in (esa_publish/drafts.py).
    "esa_publish.drafts.DraftsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "esa_publish.urls"
WSGI_APPLICATION = "esa_publish.wsgi.application"

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
                "csp.context_processors.nonce",
                "esa_publish.context_processors.shell",
                "esa_publish.drafts.drafts_done",
            ],
            "builtins": ["esa_publish.templatetags.thai"],
        },
    }
]

if "DATABASE_URL" not in os.environ:
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", "sqlite:///var/db.sqlite3"), base_dir=BASE_DIR
    )
}
# Each worker keeps its connection between requests (the PostgreSQL entry says so already).
# For SQLite, opening the file and running its PRAGMAs again on every request was a third of a
# cold catalog page's CPU under gunicorn (issue 18); the health check replaces a broken one.
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "office.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Unused by our login page, which lands each person on their work (approvals/landing.py).
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sessions end after this many seconds without a request (each request renews the cookie).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Lockouts and rate limits count the visitor's address, not the proxy's (client_address.py).
AXES_CLIENT_IP_CALLABLE = "esa_publish.client_address.client_ip"
# Proxies in front of gunicorn that append to X-Forwarded-For: 1 behind the nginx of DEPLOY.md.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# Per-visitor limits on the public search and JSON API (esa_publish/throttle.py), counted in the
# default cache: Redis when REDIS_URL is set, else each worker's memory.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_SEARCH = env_rate("RATELIMIT_SEARCH", "120/m")
RATELIMIT_API = env_rate("RATELIMIT_API", "300/m")
RATELIMIT_USE_CACHE = "default"
# A count that cannot be read or written (Redis down, a key evicted) lets the request through.
RATELIMIT_FAIL_OPEN = True

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # citizens never get object permissions

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("ไทย")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env_path("STATIC_ROOT", BASE_DIR / "var" / "static")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Sarabun comes from the installed font package, never from a copy in the repository.
    ("fonts/sarabun", Path(fontpkg_sarabun.__file__).parent / "files"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            # whitenoise's CompressedManifestStaticFilesStorage, reusing unchanged compressed files.
            else "esa_publish.staticfiles.CompressedManifestStorage"
        )
    },
}

# Where `manage.py backup` writes its archives when no --output is given.
BACKUP_DIR = env_path("BACKUP_DIR", BASE_DIR / "var" / "backups")

# --- Uploaded files in S3-compatible object storage (optional) ---------------------------------
# Set AWS_STORAGE_BUCKET_NAME to keep uploads in a bucket instead of MEDIA_ROOT. Every object is
# private and any URL the storage makes is signed and expires, so a file that is not published
# never has a public address; the application streams files through its permission checks.
# Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (read by boto3 from the environment).
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "location": env_str("AWS_LOCATION"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 300, minimum=1),
            # Signature version 4: required by current AWS regions, supported by MinIO, Ceph…
            "signature_version": "s3v4",
            # Generated names are unique anyway; never replace an object silently.
            "file_overwrite": False,
        },
    }

# --- Cache --------------------------------------------------------------------------------------
# Without REDIS_URL each process keeps its own cache in memory: right for one gunicorn on one
# machine, since nothing here relies on the cache being shared. With several machines (or to share
# counters between workers) point REDIS_URL at Redis, e.g. redis://127.0.0.1:6379/0.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Offices sharing one Redis keep apart by prefix (or by database number in the URL).
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX"),
            # A Redis that stops answering costs each call a second (a page makes one to three),
            # not a worker stuck on it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # Login lockouts (django-axes) are counted in the same Redis, so every worker and machine
    # sees them at once. The lasting record of each failed login and lockout is the security
    # log (esa_publish/security.py); a lockout ends after AXES_COOLOFF_MINUTES, or earlier with
    # `manage.py axes_reset_ip_username ADDRESS USERNAME` (both are in that log), or all at once
    # with `manage.py axes_reset` (axes' own cache handler cannot do that; ours lists its keys).
    AXES_HANDLER = "esa_publish.lockouts.RedisLockoutHandler"
    # django-ratelimit knows only django-redis by name. Django's own RedisCache serves it as
    # well: a count is created with its expiry by add() and raised with Redis INCRBY, and each
    # window's key expires a few seconds after the window ends, so no count outlives it.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Without a shared cache, lockouts are counted in the database, which every process shares
    # (and listed in the admin, where staff can lift them).
    AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
    # django-ratelimit calls a per-process cache an error because the count is not shared. Here
    # that is the documented trade-off of running without Redis: each worker counts on its own,
    # so a visitor gets at most workers x the limit (esa_publish/throttle.py).
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# Item views and downloads are counted in Redis or the worker's memory and written to the
# database by a flush this often (catalog/stats.py): at most that much is lost to a killed worker.
STATS_FLUSH_SECONDS = env_int("STATS_FLUSH_SECONDS", 60, minimum=1)
# An office can silence a check of its own, e.g. esa_publish.W001 when gunicorn faces the network.
SILENCED_SYSTEM_CHECKS += env_list("SILENCED_SYSTEM_CHECKS")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads stream to a temporary file
# Files one request to publish may hold (checked by the upload form, with a message naming the
# limit). Django's own parser limit stays above it (twice): a form post past that is answered 400
# before any view runs, which a person picking one file too many should never see.
UPLOAD_MAX_FILES = env_int("UPLOAD_MAX_FILES", 30, minimum=1)
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES * 2

# Upload limits (bytes). The request-level total caps what one request may carry.
UPLOAD_MAX_FILE_BYTES = env_int("UPLOAD_MAX_FILE_MB", 20, minimum=1) * 1024 * 1024
UPLOAD_MAX_REQUEST_BYTES = env_int("UPLOAD_MAX_REQUEST_MB", 100, minimum=1) * 1024 * 1024

# The memo's font family; any family installed for fontconfig, e.g. "TH SarabunIT๙".
MEMO_FONT_FAMILY = env_str("MEMO_FONT_FAMILY", "Sarabun")

vars().update(parse_email_url(env_str("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "esa-publish@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks ----------------------------------------------------------------------------
# E-mail and LINE messages leave through a queue kept in the database, so a page never waits on a
# mail server or LINE, and what is queued survives a restart. `manage.py db_worker` runs them
# (`make run`/`make serve` start one; docs/DEPLOY.md has its systemd unit). TASKS_BACKEND=immediate
# runs each task inside the request instead (tests; a machine without a worker).
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND not in {"database", "immediate"}:
    raise SettingsError(f"TASKS_BACKEND must be database or immediate, not {TASKS_BACKEND!r}.")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# --- LINE Messaging API (notify/line.py) ----------------------------------------------------------
# The office's LINE Official Account. The secret and token may also be entered in the admin
# (never shown back); these variables win over the admin's values when set.
LINE_CHANNEL_SECRET = env_str("LINE_CHANNEL_SECRET")
LINE_CHANNEL_ACCESS_TOKEN = env_str("LINE_CHANNEL_ACCESS_TOKEN")
# Tests point this at a local stand-in of the API.
LINE_API_BASE_URL = env_str("LINE_API_BASE_URL", "https://api.line.me").rstrip("/")
# How many times a push is tried (429 and 5xx are retried with back-off) before giving up.
LINE_PUSH_ATTEMPTS = env_int("LINE_PUSH_ATTEMPTS", 6, minimum=1)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # blob: previews the photos a person has just chosen, before upload (request-form.js).
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# A Thai page that explains and leads back to the form, whose text the browser kept.
CSRF_FAILURE_VIEW = "esa_publish.errors.csrf_failure"

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A monitor on the machine itself asks over plain HTTP (esa_publish/health.py).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The header alone submits nothing; an office opts in at hstspreload.org when ready.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Logs go to stderr (journald under systemd). Every record carries the request id
# (esa_publish/request_log.py); LOG_FORMAT=json writes one JSON object per line for collectors.
LOG_FORMAT = env_str("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise SettingsError(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "esa_publish.request_log.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "esa_publish.request_log.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs seven progress lines per render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Failed logins, lockouts and refused pages (esa_publish/security.py), whatever LOG_LEVEL.
        "esa_publish.security": {"level": "INFO"},
    },
}


def _refuse_unsafe_production() -> None:
    """With DEBUG off, stop at start-up on values that would be unsafe in production."""
    if DEBUG:
        return
    problems = []
    if SECRET_KEY == _DEV_SECRET or SECRET_KEY.startswith("django-insecure"):
        problems.append(
            "SECRET_KEY is the development default: set a random value of 50+ characters"
        )
    elif len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        problems.append("SECRET_KEY is too short or too simple: use 50+ random characters")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty: set the site's host names, comma-separated")
    elif "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS contains '*': list the real host names")
    if not SITE_URL.startswith("https://") and not env_bool("ALLOW_HTTP_SITE_URL", False):
        problems.append("SITE_URL must start with https:// in production")
    if problems:
        raise SettingsError("Refusing to start with DEBUG off:\n  - " + "\n  - ".join(problems))


_refuse_unsafe_production()
