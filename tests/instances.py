"""Separate installations for tests that run esa-publish in other processes.

Backups, scheduled commands run twice at once and the production server all have to be seen
from outside the test process: they get a database of their own (a SQLite file, or a scratch
PostgreSQL database on the server the test run uses), their own MEDIA_ROOT and a clean
environment, and run ``manage.py`` or gunicorn as a subprocess would in production.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

# Variables of the test process that must not leak into an installation under test.
_DROPPED = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "DATABASE_URL",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "EMAIL_URL",
    "REDIS_URL",
    "LOG_FORMAT",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "AWS_STORAGE_BUCKET_NAME",
}


def clean_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env.update(PYTHAINLP_READ_ONLY="1", DJANGO_SETTINGS_MODULE="esa_publish.settings")
    env.update(values)
    return env


def manage(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def python(env: dict, code: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter with Django set up for ``env``."""
    prelude = "import django\ndjango.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _postgres_url(name: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "127.0.0.1"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{name}"


def _maintenance(sql: str) -> None:
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        autocommit=True,
    ) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def scratch_database(tmp_path: Path):
    """A new, blank database of the same kind as the test run's; yields its DATABASE_URL."""
    if connection.vendor == "postgresql":
        name = f"esa_scratch_{uuid.uuid4().hex[:12]}"
        _maintenance(f'CREATE DATABASE "{name}"')
        try:
            yield _postgres_url(name)
        finally:
            _maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / f"scratch-{uuid.uuid4().hex[:8]}.sqlite3"
        yield f"sqlite:///{path}"


def shared_database_url() -> str | None:
    """The URL of the test run's own database, when other processes can reach it (PostgreSQL)."""
    if connection.vendor == "postgresql":
        return _postgres_url(connection.settings_dict["NAME"])
    return None


# --- comparing whole databases -------------------------------------------------------------------


def _encoder():
    from esa_publish.backup.serializer import ExactJSONEncoder

    class Encoder(ExactJSONEncoder):
        def default(self, o):
            if isinstance(o, bytes | memoryview):
                return bytes(o).hex()
            return super().default(o)

    return Encoder


SNAPSHOT_CODE = """
import json, sys
from tests.instances import table_snapshot
sys.stdout.write(json.dumps(table_snapshot()))
"""


def table_snapshot(excluded=frozenset({"sessions.session"})) -> dict[str, list]:
    """Every row of every table, as JSON-ready lists sorted the same way on any database.

    Tables of automatic many-to-many links are compared without their own id column: the link
    ids are not referenced anywhere and are renumbered whenever links are written again.
    """
    from django.apps import apps
    from django.db import DEFAULT_DB_ALIAS, router

    _Encoder = _encoder()  # noqa: N806
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or meta.label_lower in excluded:
            continue
        if not router.allow_migrate_model(DEFAULT_DB_ALIAS, model):
            continue
        columns = [f.attname for f in meta.concrete_fields]
        if meta.auto_created:
            columns = [c for c in columns if c != meta.pk.attname]
        rows = model._base_manager.values_list(*columns)
        encoded = [json.loads(json.dumps(list(row), cls=_Encoder)) for row in rows]
        snapshot[meta.label_lower] = sorted(encoded, key=lambda r: json.dumps(r, sort_keys=True))
    return snapshot
