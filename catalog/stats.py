"""Counting item page views and file downloads per item and day, for the quarterly reports.

Only two numbers per item and day are kept (:class:`catalog.models.DailyStat`): no address, no
cookie, no user agent, nothing that could tell one visitor from another, so the counts are not
personal data under the PDPA. Requests that are plainly not a person reading are left out:
HEAD requests, clients that send no User-Agent, and crawlers and link-preview fetchers (LINE and
Facebook fetch a page to draw its preview card every time someone pastes the link).

A hit writes nothing to the database. It adds one to a pending count, and :func:`flush` later
adds the pending counts to ``DailyStat`` in one short transaction:

- With Redis (``REDIS_URL``, the default cache is ``RedisCache``) the pending counts are one
  Redis hash shared by every worker and machine, raised with ``HINCRBY`` (atomic, ~0.1 ms).
  ``manage.py flush_stats``, run every minute by a systemd timer (docs/DEPLOY.md), and every
  worker as it exits, move them to the database. A worker that crashes loses nothing; Redis
  itself keeps them across a worker restart.
- Without Redis each worker counts in its own memory; a thread of the worker flushes them every
  ``STATS_FLUSH_SECONDS`` (60) and gunicorn's ``worker_exit`` hook flushes what is left, so a
  clean restart loses nothing and a killed worker at most one interval.

Before the counts were pending, every view cost one UPDATE (and an INSERT for the day's first)
on the hottest row of the table, on the request's own time.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F
from django.utils import timezone

from catalog.models import CatalogItem, DailyStat
from esa_publish.shared_cache import UNREACHABLE

logger = logging.getLogger(__name__)

# Lower-case fragments of User-Agent strings of robots, preview fetchers and scripted clients.
BOT_MARKERS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "facebookexternalhit",
    "facebookcatalog",
    "line-poker",
    "embedly",
    "preview",
    "curl/",
    "wget/",
    "python-",
    "go-http-client",
    "okhttp",
    "java/",
    "headlesschrome",
    "monitor",
    "uptime",
)

VIEWS = "views"
DOWNLOADS = "downloads"
_FIELDS = {"v": VIEWS, "d": DOWNLOADS}
_CODES = {VIEWS: "v", DOWNLOADS: "d"}

PENDING_KEY = "catalog:stats:pending"
FLUSHING_KEY = "catalog:stats:flushing"
LOCK_KEY = "catalog:stats:flush-lock"
LOCK_SECONDS = 300


def is_bot(user_agent: str) -> bool:
    """True for an empty User-Agent or one that names itself a robot or preview fetcher."""
    agent = (user_agent or "").strip().lower()
    return not agent or any(marker in agent for marker in BOT_MARKERS)


def counts(request) -> bool:
    """Whether this request is a person reading or downloading: a GET from a non-robot."""
    return request.method == "GET" and not is_bot(request.META.get("HTTP_USER_AGENT", ""))


def bump(item_id: int, field: str, *, day=None, by: int = 1) -> None:
    """Add ``by`` to ``field`` of ``item_id``'s row for ``day`` (today in the office's time zone).

    UPDATE first, since the row exists for every flush but the day's first. When it does not, the
    INSERT may lose a race with a concurrent flush; the unique constraint turns that into an
    IntegrityError, and the other one's row is then updated instead. The savepoint keeps a
    failed INSERT from spoiling an enclosing transaction on PostgreSQL.
    """
    if field not in (VIEWS, DOWNLOADS):
        raise ValueError(f"unknown counter {field!r}")
    day = day or timezone.localdate()
    rows = DailyStat.objects.filter(item_id=item_id, day=day)
    if rows.update(**{field: F(field) + by}):
        return
    try:
        with transaction.atomic():
            DailyStat.objects.create(item_id=item_id, day=day, **{field: by})
    except IntegrityError:
        rows.update(**{field: F(field) + by})


# --- pending counts -------------------------------------------------------------------------


def _redis():
    """The default cache when it is Redis (shared by every process), else None."""
    cache = caches["default"]
    return cache if isinstance(cache, RedisCache) else None


_memory: Counter = Counter()  # (day ISO, item id, "v"/"d") -> count, this process only
_memory_lock = threading.Lock()


def _field_name(day, item_id: int, field: str) -> str:
    return f"{day.isoformat()}:{item_id}:{_CODES[field]}"


def record(item_id: int, field: str) -> None:
    """Count one view or download, to be written by the next :func:`flush`."""
    if field not in _CODES:
        raise ValueError(f"unknown counter {field!r}")
    name = _field_name(timezone.localdate(), item_id, field)
    cache = _redis()
    if cache is not None:
        try:
            client = cache._cache.get_client(write=True)
            client.hincrby(cache.make_and_validate_key(PENDING_KEY), name, 1)
            return
        except UNREACHABLE as error:
            # Counted in this worker's memory instead; its flush thread or exit writes it.
            logger.warning("view counted in memory: the cache is unreachable (%s)", error)
    with _memory_lock:
        _memory[name] += 1


def count_view(request, item_id: int) -> None:
    if counts(request):
        record(item_id, VIEWS)


def count_download(request, item_id: int) -> None:
    if counts(request):
        record(item_id, DOWNLOADS)


def discard_pending() -> None:
    """Forget this process's pending counts (tests: each starts with none)."""
    with _memory_lock:
        _memory.clear()


def _write(pending: dict[str, int]) -> int:
    """Add ``{"2026-12-04:17:v": 3, …}`` to DailyStat in one transaction; rows written."""
    import datetime as dt

    rows: dict[tuple, dict[str, int]] = {}
    for name, value in pending.items():
        day, item_id, code = name.rsplit(":", 2)
        key = (dt.date.fromisoformat(day), int(item_id))
        rows.setdefault(key, {})[_FIELDS[code]] = int(value)
    if not rows:
        return 0
    # An item deleted since it was viewed (the admin may) has nothing left to count against.
    existing = set(
        CatalogItem.objects.filter(pk__in={item_id for _, item_id in rows}).values_list(
            "pk", flat=True
        )
    )
    written = 0
    with transaction.atomic():
        for (day, item_id), fields in sorted(rows.items()):
            if item_id not in existing:
                continue
            written += 1
            updated = DailyStat.objects.filter(item_id=item_id, day=day).update(
                **{field: F(field) + by for field, by in fields.items()}
            )
            if updated:
                continue
            try:
                with transaction.atomic():
                    DailyStat.objects.create(item_id=item_id, day=day, **fields)
            except IntegrityError:  # another flush made the row first
                DailyStat.objects.filter(item_id=item_id, day=day).update(
                    **{field: F(field) + by for field, by in fields.items()}
                )
    return written


def _flush_memory() -> int:
    with _memory_lock:
        pending = dict(_memory)
        _memory.clear()
    if not pending:
        return 0
    try:
        return _write(pending)
    except Exception:
        # Put them back: the next flush tries again (a database restart, a lock timeout).
        with _memory_lock:
            _memory.update(pending)
        raise


def _flush_redis(cache) -> int:
    """Move the shared pending counts to the database, at most one flusher at a time.

    The pending hash is renamed first (atomic), so counts made during the flush go to a new hash.
    A flush that dies after the rename leaves the renamed hash; the next flush writes it first.
    """
    import redis

    if not cache.add(LOCK_KEY, 1, timeout=LOCK_SECONDS):
        return 0  # another process is flushing right now
    try:
        client = cache._cache.get_client(write=True)
        pending_key = cache.make_and_validate_key(PENDING_KEY)
        flushing_key = cache.make_and_validate_key(FLUSHING_KEY)
        written = 0
        for _ in range(2):  # a leftover of a failed flush first, then the current counts
            if not client.exists(flushing_key):
                try:
                    client.rename(pending_key, flushing_key)
                except redis.ResponseError:  # no pending counts
                    break
            pending = {k.decode(): int(v) for k, v in client.hgetall(flushing_key).items()}
            written += _write(pending)
            client.delete(flushing_key)
        return written
    finally:
        cache.delete(LOCK_KEY)


def flush() -> int:
    """Write every pending count this process can reach to DailyStat; the rows written."""
    written = _flush_memory()
    cache = _redis()
    if cache is not None:
        written += _flush_redis(cache)
    return written


# --- the flush thread of a worker --------------------------------------------------------------

_thread: threading.Thread | None = None
_stop = threading.Event()


def _flush_every(seconds: float) -> None:
    while not _stop.wait(seconds):
        try:
            flush()
        except Exception:
            logger.exception("view counts not flushed; kept for the next try")
        finally:
            close_old_connections()


def start_flusher(seconds: float | None = None) -> None:
    """Flush this process's counts every ``seconds`` (``STATS_FLUSH_SECONDS``) from a thread.

    Started by gunicorn's post_fork hook in every worker. With Redis the threads of all workers
    and the timer's ``flush_stats`` take turns on the shared counts (one at a time, by a lock);
    the timer is what still flushes while no worker runs.
    """
    global _thread
    seconds = seconds or getattr(settings, "STATS_FLUSH_SECONDS", 60)
    if _thread is not None and _thread.is_alive():
        return
    _stop.clear()
    _thread = threading.Thread(
        target=_flush_every, args=(seconds,), name="stats-flush", daemon=True
    )
    _thread.start()


def stop_flusher() -> None:
    """Stop the thread and write what is left (gunicorn's worker_exit hook)."""
    _stop.set()
    if _thread is not None:
        _thread.join(timeout=10)
    flush()
