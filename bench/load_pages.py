"""Load on the public pages: many visitors at once against production gunicorn (not a test).

Builds a scratch PostgreSQL database (dropped at the end), loads the demo office and its
published catalog (``manage.py seed_demo``), collects static files, and starts gunicorn with the
production settings (DEBUG off, esa_publish/gunicorn_conf.py as is: its worker count and worker
recycling) on a free loopback port. Then, for 60 s, 32 connections at once ask for the home page,
category pages, item pages and searches in equal shares, each connection sending its next
request as soon as the last one is answered. Requests carry ``X-Forwarded-Proto: https`` as they
would from the office's nginx, so HTTPS-only settings are in force.

The client is a small asyncio HTTP/1.0-style loop in this process (one connection per request,
as gunicorn's sync workers close them): no dependency, and far less client CPU than threads.
Client and server share the machine's CPUs, so the figures are a floor for the server.

Any answer other than 200, a timeout or a refused connection counts as an error; the script
exits with status 1 if there was any. Everything runs on 127.0.0.1 and stops by itself.

    .venv/bin/python bench/load_pages.py [--seconds 60] [--concurrency 32] [--keep-db]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# Kept between runs so collectstatic only compresses the fonts once (esa_publish/staticfiles.py).
STATIC_ROOT = ROOT / "var" / "bench" / "static"
REQUEST_TIMEOUT = 30.0

# Variables of this shell that must not reach the server.
_DROPPED = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "DATABASE_URL",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "WEB_CONCURRENCY",
    "GUNICORN_MAX_REQUESTS",
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str, media_root: Path, port: int | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env.update(
        DJANGO_SETTINGS_MODULE="esa_publish.settings",
        PYTHAINLP_READ_ONLY="1",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://127.0.0.1",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(STATIC_ROOT),
        MEDIA_ROOT=str(media_root),
        # One line per request at INFO would measure the journal; warnings and errors still show.
        LOG_LEVEL="WARNING",
        GUNICORN_LOG_LEVEL="warning",
        TRUSTED_PROXY_COUNT="1",  # fetch() sends X-Forwarded-For as the nginx of DEPLOY.md does
    )
    if port is not None:
        env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    return env


def manage(env: dict, *args: str, timeout: float = 1800) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def run_python(env: dict, code: str, timeout: float = 1800) -> str:
    """``code`` in a fresh interpreter with Django set up against ``env``; returns its stdout."""
    result = subprocess.run(
        [str(PYTHON), "-c", "import django\ndjango.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise SystemExit(f"set-up code failed:\n{result.stderr[-3000:]}")
    return result.stdout


def _maintenance(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def scratch_database(prefix: str, keep: bool = False):
    """A new PostgreSQL database for one run; dropped afterwards unless ``keep``."""
    name = f"{prefix}_{time.strftime('%Y%m%d_%H%M%S')}_{uuid.uuid4().hex[:6]}"
    _maintenance(f'CREATE DATABASE "{name}"')
    log(f"database {name}")
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        if keep:
            log(f"kept database {name}")
        else:
            _maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _http_get(port: int, path: str, timeout: float = 5.0) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        head = sock.recv(64)
    return int(head.split(b" ", 2)[1])


@contextlib.contextmanager
def gunicorn(env: dict, port: int, log_path: Path):
    """Production gunicorn in the background until the block ends (SIGTERM, then SIGKILL)."""
    with log_path.open("w") as server_log:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "python:esa_publish.gunicorn_conf"],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 90
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"gunicorn stopped:\n{log_path.read_text()[-3000:]}")
                try:
                    _http_get(port, "/healthz")
                    break
                except (OSError, IndexError, ValueError):
                    if time.monotonic() > deadline:
                        raise SystemExit("gunicorn did not answer within 90 s") from None
                    time.sleep(0.3)
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def prepare_static(env: dict) -> None:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    log("collectstatic")
    manage(env, "collectstatic", "--noinput", "-v0")


# --- the load client --------------------------------------------------------------------------


async def fetch(port: int, path: str) -> tuple[int, float]:
    """One GET on a new connection; (status or an error code below 100, seconds)."""
    start = time.perf_counter()
    # As nginx would send it: the visitor's address appended to X-Forwarded-For (the server runs
    # with TRUSTED_PROXY_COUNT=1), a different citizen each time, so that the rate limits on
    # search count as they would for real visitors instead of one address asking for everything.
    visitor = f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}"
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
        f"X-Forwarded-Proto: https\r\nX-Forwarded-For: {visitor}\r\nAccept-Language: th\r\n"
        "User-Agent: esa-publish-bench/1\r\n\r\n"
    ).encode("ascii")
    writer = None
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            await writer.drain()
            data = await reader.read()
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 1
    except TimeoutError:
        status = 2
    except OSError:
        status = 3
    finally:
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
    return status, time.perf_counter() - start


ERROR_NAMES = {1: "bad response", 2: "timeout", 3: "connection error"}


async def drive(port: int, targets: dict[str, list[str]], seconds: float, concurrency: int):
    """``concurrency`` connections, each asking for the next page as soon as it has an answer,
    in equal shares of each kind of page; returns [(kind, status, seconds)]."""
    results: list[tuple[str, int, float]] = []
    failed: list[str] = []
    kinds = sorted(targets)
    deadline = time.monotonic() + seconds

    async def visitor(slot: int) -> None:
        rng = random.Random(slot)
        n = slot
        while time.monotonic() < deadline:
            kind = kinds[n % len(kinds)]
            n += 1
            path = rng.choice(targets[kind])
            status, took = await fetch(port, path)
            results.append((kind, status, took))
            if status != 200 and len(failed) < 10:
                failed.append(f"{status} {path[:120]}")

    await asyncio.gather(*(visitor(i) for i in range(concurrency)))
    for line in failed:
        log(f"not 200: {line}")
    return results


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(share * len(sorted_values)) - 1))
    return sorted_values[index]


def summarise(results, seconds: float, expected=(200,)) -> dict:
    by_kind = defaultdict(list)
    statuses = Counter()
    errors = Counter()
    for kind, status, took in results:
        by_kind[kind].append(took)
        statuses[status] += 1
        if status not in expected:
            errors[ERROR_NAMES.get(status, str(status))] += 1
    every = sorted(t for _, _, t in results)
    kind_statuses = defaultdict(Counter)
    for kind, status, _ in results:
        kind_statuses[kind][str(status)] += 1
    rows = {
        kind: {
            "requests": len(times),
            "p50_ms": round(percentile(sorted(times), 0.50) * 1000, 1),
            "p99_ms": round(percentile(sorted(times), 0.99) * 1000, 1),
            "statuses": dict(kind_statuses[kind]),
        }
        for kind, times in sorted(by_kind.items())
    }
    return {
        "requests": len(results),
        "seconds": seconds,
        "requests_per_second": round(len(results) / seconds, 1),
        "p50_ms": round(percentile(every, 0.50) * 1000, 1),
        "p99_ms": round(percentile(every, 0.99) * 1000, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": dict(errors),
        "by_kind": rows,
    }


# --- the pages ----------------------------------------------------------------------------------

TARGETS_CODE = r"""
import json
from catalog.models import CatalogItem, Category
items = list(CatalogItem.objects.live().select_related("category"))
categories = sorted({item.category.slug for item in items})
words = set()
for item in items:
    words.update(w for w in item.title.split() if len(w) > 2)
print(json.dumps({
    "items": [item.get_absolute_url() for item in items],
    "categories": categories,
    "words": sorted(words)[:200],
}))
"""


def page_targets(env: dict) -> dict[str, list[str]]:
    found = json.loads(run_python(env, TARGETS_CODE).strip().splitlines()[-1])
    if not found["items"]:
        raise SystemExit("the demo catalog has no live items to ask for")
    words = found["words"] or ["ประกาศ"]
    return {
        "home": ["/"],
        "category": [quote(f"/catalog/category/{slug}/") for slug in found["categories"]],
        # reverse() already percent-encodes the Thai slugs; quote() only what is not yet ASCII.
        "item": [quote(url, safe="/%") for url in found["items"]],
        "search": ["/search/?" + urlencode({"q": word}) for word in words],
    }


def machine_load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


@contextlib.contextmanager
def seeded_database(args):
    """The database to serve: the one given with --database-url as it is, or a scratch one
    with the demo office and catalog."""
    if args.database_url:
        yield args.database_url
        return
    with scratch_database("esa_load_pages", keep=args.keep_db) as database_url:
        env = production_env(database_url, Path("/nonexistent"))
        log("migrate")
        manage(env, "migrate", "--noinput", "-v0")
        log("seed_demo (the demo office and its published catalog)")
        manage(env, "seed_demo")
        yield database_url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--warmup", type=float, default=10, help="seconds of load before measuring (not counted)"
    )
    parser.add_argument("--keep-db", action="store_true", help="do not drop the scratch database")
    parser.add_argument("--database-url", help="serve this already seeded database instead")
    args = parser.parse_args()

    import tempfile

    with (
        tempfile.TemporaryDirectory(prefix="esa-load-") as tmp,
        seeded_database(args) as database_url,
    ):
        env = production_env(database_url, Path(tmp) / "media")
        prepare_static(env)
        targets = page_targets(env)
        log("pages: " + ", ".join(f"{len(urls)} {kind}" for kind, urls in sorted(targets.items())))
        port = free_port()
        env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
        with gunicorn(env, port, Path(tmp) / "gunicorn.log"):
            if args.warmup:
                log(f"warming up for {args.warmup:.0f} s")
                asyncio.run(drive(port, targets, args.warmup, args.concurrency))
            before = machine_load()
            log(f"{args.concurrency} connections for {args.seconds:.0f} s ({before})")
            started = time.monotonic()
            results = asyncio.run(drive(port, targets, args.seconds, args.concurrency))
            elapsed = time.monotonic() - started
            server_errors = (Path(tmp) / "gunicorn.log").read_text()
        summary = summarise(results, elapsed)
        summary.update(
            concurrency=args.concurrency,
            database="postgresql",
            load_before=before,
            load_after=machine_load(),
        )
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    tracebacks = server_errors.count("Traceback")
    if tracebacks:
        log(f"{tracebacks} traceback(s) in the server log:\n{server_errors[-3000:]}")
    if summary["errors"] or tracebacks:
        log(f"FAILED: errors {summary['errors']}")
        return 1
    log("no errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
