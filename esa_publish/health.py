"""``/healthz``: is this installation able to do its work right now?

Meant for a monitor (one central one can poll all offices) and for the load balancer of a larger
installation. Each check is cheap and answers one question an operator would otherwise ask by
logging in: can we reach the database, can we store an uploaded file, is the disk about to fill
up, did someone deploy code without running ``migrate``.

The answer never contains error text: a database error can name the host and the account, so the
details go to the log (with the request id) and the page only says which check failed. The page
needs no login and is never cached, by the browser or by a proxy.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from esa_publish.env import env_int

logger = logging.getLogger("esa_publish.health")

MB = 1024 * 1024


class CheckFailed(Exception):
    """A check's verdict, with a short reason that is safe to show to anyone."""


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


_migrations_current = False


def check_migrations() -> str:
    """Code newer than the schema fails here before it fails on a user's request.

    Reading the migration files costs tens of milliseconds, so once a process has seen the
    database up to date it stops asking: its code cannot change while it runs, and migrations do
    not go backwards by themselves. Until then (new code deployed, ``migrate`` not run yet) every
    probe checks again.
    """
    global _migrations_current
    if _migrations_current:
        return "ok"
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise CheckFailed(f"{len(plan)} unapplied migration(s)")
    _migrations_current = True
    return "ok"


def _media_on_disk() -> bool:
    return isinstance(default_storage, FileSystemStorage)


def check_media() -> str:
    """Write and delete a small file where uploads go.

    On disk the file is a temporary one at the top of MEDIA_ROOT, so nothing is left behind even
    if the process dies in between (no folders are created apart from MEDIA_ROOT itself, which
    the first upload would create anyway).
    """
    if _media_on_disk():
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".healthz-") as probe:
            probe.write(b"ok")
            probe.flush()
        return "ok"
    name = default_storage.save(".healthz/probe", ContentFile(b"ok"))
    default_storage.delete(name)
    return "ok"


def _disk_paths() -> list[Path]:
    """Folders whose file system must not fill up: uploads, and SQLite's file when used."""
    paths = []
    if _media_on_disk():
        paths.append(Path(settings.MEDIA_ROOT))
    if connection.vendor == "sqlite":
        paths.append(Path(settings.DATABASES["default"]["NAME"]).parent)
    return [p for p in paths if p.exists()]


def check_disk() -> str:
    minimum = env_int("HEALTH_MIN_FREE_MB", 500, minimum=0)
    paths = _disk_paths()
    if not paths:
        return "ok"
    free = min(shutil.disk_usage(p).free for p in paths) // MB
    if free < minimum:
        raise CheckFailed(f"{free} MB free, below {minimum} MB")
    return f"ok ({free} MB free)"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "migrations": check_migrations,
    "media": check_media,
    "disk": check_disk,
}


def run_checks() -> dict[str, tuple[bool, str]]:
    """Every check's outcome; a later check still runs when an earlier one failed."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = (True, check())
        except CheckFailed as failure:
            logger.warning("health check %s failed: %s", name, failure)
            results[name] = (False, str(failure))
        except Exception:
            logger.exception("health check %s failed", name)
            results[name] = (False, "failed (see the server log)")
    return results


@never_cache
@require_GET
def healthz(request):
    results = run_checks()
    healthy = all(ok for ok, _ in results.values())
    status = 200 if healthy else 503
    if request.GET.get("format") == "json":
        body = {
            "status": "ok" if healthy else "failing",
            "checks": {
                name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()
            },
        }
        return HttpResponse(
            json.dumps(body), status=status, content_type="application/json; charset=utf-8"
        )
    # Healthy is just "ok" (what a simple monitor compares with); failing names each check.
    text = "ok\n"
    if not healthy:
        text = "failing\n" + "".join(f"{name}: {detail}\n" for name, (_, detail) in results.items())
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
