"""gunicorn settings for production: ``gunicorn -c python:esa_publish.gunicorn_conf``.

Used by ``make serve`` and the systemd unit in docs/DEPLOY.md. Every value can be changed through
the environment (the same /etc/esa-publish.env the application reads), so a server is tuned
without editing files under version control.

- Workers: ``WEB_CONCURRENCY``, by default 2 x CPUs + 1 but at most 8. Workers are synchronous
  processes of ~100 MB each (WeasyPrint and Pillow are loaded); past 8 a single office's server
  gains nothing but memory use, and the database becomes the limit.
- No access log: ``esa_publish.request_log`` writes one line per request with the user and the
  request id, without the query string. gunicorn's own messages go to stderr (the journal).
- ``forwarded_allow_ips``: the proxy's address; only requests from it may claim HTTPS through
  ``X-Forwarded-Proto``. nginx on the same machine is 127.0.0.1.
- Warm workers: each worker loads the templates, the Thai segmentation dictionary and the memo's
  fonts before it takes its first request (:func:`post_worker_init`, ``esa_publish/warm.py``), so
  the first search and the first memo after a deploy answer like the hundredth. The application
  is not preloaded in the master: with ``preload_app`` a HUP (``systemctl reload``, the upgrade
  of docs/DEPLOY.md) would fork new workers from the old code.
- View counts: each worker starts the thread that flushes its counts to the database every
  ``STATS_FLUSH_SECONDS`` and flushes what is left as it exits (``catalog/stats.py``).
"""

from __future__ import annotations

import logging
import os
import time

MAX_DEFAULT_WORKERS = 8


def _int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"esa-publish: {name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise SystemExit(f"esa-publish: {name} must be at least {minimum}, not {value}.")
    return value


def default_workers(cpus: int | None = None) -> int:
    cpus = cpus or os.cpu_count() or 1
    return min(2 * cpus + 1, MAX_DEFAULT_WORKERS)


wsgi_app = "esa_publish.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = _int("WEB_CONCURRENCY", default_workers())
# A memo PDF or a 100 MB upload being saved can take a while; nginx buffers the upload itself.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
# Recycle a worker now and then, so a slow leak in a C library cannot grow without bound (0: never).
# Not too often: a new worker loads Django, WeasyPrint and Pillow again (seconds of CPU).
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000, minimum=0)
max_requests_jitter = max_requests // 10
# Heartbeat files in memory: a slow or busy disk must not get healthy workers killed.
SHM = "/dev/shm"  # noqa: S108 - a folder for gunicorn's own heartbeat files, not a temp file
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "esa-publish"
# gunicorn 25+ opens a control socket in $HOME by default; systemd is what controls this process,
# and several installations on one machine would fight over the one socket path.
control_socket_disable = True


# GUNICORN_WARM_UP=false: workers load what they need on first use (faster start, slow first
# search and memo); for measuring the difference, or a machine short of memory.
WARM_UP = os.environ.get("GUNICORN_WARM_UP", "true").strip().lower() not in {"0", "false", "no"}


def post_worker_init(worker) -> None:
    """In the worker, after Django is loaded and before its first request."""
    start = time.perf_counter()
    try:
        from catalog import stats
        from esa_publish.warm import warm_up

        stats.start_flusher()
        if not WARM_UP:
            return
        took = warm_up()
    except Exception:  # a cold worker still serves; the log says why it is cold
        logging.getLogger("esa_publish.warm").exception("worker warm-up failed")
        return
    worker.log.info(
        "worker %s warm in %.1f s (%s)",
        worker.pid,
        time.perf_counter() - start,
        ", ".join(f"{name} {seconds:.2f} s" for name, seconds in took.items()),
    )


def worker_exit(server, worker) -> None:
    """A worker stopping cleanly (restart, reload, recycling) writes its pending view counts."""
    try:
        from catalog import stats

        stats.stop_flusher()
    except Exception:
        logging.getLogger("catalog.stats").exception("view counts not written at worker exit")
