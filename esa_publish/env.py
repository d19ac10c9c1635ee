"""Reading settings from the environment, failing loudly and early.

Every helper raises :class:`SettingsError` with the name of the variable and what is wrong with
it, so a mistyped value stops the process with one readable line instead of a traceback from deep
inside Django the first time the value is used.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


class SettingsError(ImproperlyConfigured):
    """A setting from the environment is missing, malformed or unsafe."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false (1/0, yes/no), not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {value}.")
    return value


_RATE = re.compile(r"^[1-9][0-9]*/(?:[1-9][0-9]*)?[smhd]$")


def env_rate(name: str, default: str) -> str:
    """A request rate as django-ratelimit reads it: a count per s/m/h/d, e.g. ``120/m`` or
    ``1000/h`` (``500/5m``: per five minutes). Checked here so a typo stops the process at start
    instead of failing on the first search."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    if not _RATE.match(value):
        raise SettingsError(
            f"{name} must be a count per period such as 120/m, 1000/h or 500/5m, not {raw!r}."
        )
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser().resolve() if raw else default


def _port(name: str, url: str, parts) -> int | None:
    try:
        return parts.port
    except ValueError:
        raise SettingsError(f"{name} has a port that is not a number: {url!r}.") from None


def parse_database_url(url: str, *, base_dir: Path, name: str = "DATABASE_URL") -> dict:
    """Turn ``sqlite:///path`` or ``postgres://user:pass@host:port/db`` into a DATABASES entry.

    Only the two databases the project supports are accepted; anything else is a clear error
    rather than an engine import failure later. SQLite gets the options that make it behave under
    a web server: WAL journal, a busy timeout and IMMEDIATE transactions so concurrent writers
    queue instead of failing with "database is locked".
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative.db or sqlite:////absolute/path.db
        raw_path = unquote(parts.path)
        if raw_path.startswith("/"):
            raw_path = raw_path[1:]
        if not raw_path:
            raise SettingsError(f"{name} names no SQLite file: {url!r}.")
        path = Path(raw_path)
        if not path.is_absolute():
            path = base_dir / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": os.environ.get("SQLITE_TEST_NAME") or None},
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        port = _port(name, url, parts)
        db = unquote(parts.path.lstrip("/"))
        if not db:
            raise SettingsError(f"{name} names no PostgreSQL database: {url!r}.")
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": db,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise SettingsError(
        f"{name} has an unknown scheme {parts.scheme!r}: use sqlite:///file.db or "
        "postgres://user:password@host:5432/database."
    )


def parse_email_url(url: str, *, name: str = "EMAIL_URL") -> dict:
    """Map ``console://``, ``file:///dir``, ``locmem://`` or ``smtp[s]://user:pw@host:port``
    (``?tls=1``) onto Django's EMAIL_* settings."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        if not parts.path:
            raise SettingsError(f"{name} names no folder for mail files: {url!r}.")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise SettingsError(f"{name} names no SMTP host: {url!r}.")
        port = _port(name, url, parts)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port or (465 if scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": query.get("tls", "").lower() in _TRUE,
        }
    raise SettingsError(
        f"{name} has an unknown scheme {parts.scheme!r}: use console://, file:///dir or "
        "smtp://user:password@host:587?tls=1."
    )
