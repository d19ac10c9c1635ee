"""Requests per second of the public pages under gunicorn, against a bare Django view (not a test).

Starts gunicorn with the project's production configuration (``esa_publish.gunicorn_conf``,
2 workers, no worker recycling, DEBUG off, a long random SECRET_KEY, static files collected into
a temporary folder)
on a free loopback port, against the database bench/catalog_pages.py built (100,000 items; it is
built first if missing). The bare view (``catalog:bench_bare``, routed only with
``BENCH_BARE_VIEW=1``) answers a page of exactly the same number of bytes as the page it is
compared with, through the same middleware, with no database and no template: the yardstick.

Each target is driven for 15 s in all by 16 Python threads using urllib on 127.0.0.1, one request
at a time each (a new connection per request, as gunicorn's sync workers close them), in five
rounds of 3 s that alternate between the targets. The client
runs on the same machine and takes CPU from the server, equally for every target. The home and
category pages are measured as served to visitors (from the page cache after the first hit in
each worker) and with a different query string on every request, so every request misses the
cache and renders the page.

Besides requests per second, each target's requests per CPU-second of the gunicorn workers is
reported (read from /proc): on a machine shared with other work that figure is the steadier one.
With PostgreSQL the database server's own CPU time is not in it.

    .venv/bin/python bench/catalog_throughput.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/esa_bench_pages \\
        .venv/bin/python bench/catalog_throughput.py
"""

from __future__ import annotations

import itertools
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

THREADS = 16
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
ROUNDS = 5
REQUEST_NUMBERS = itertools.count(1)
ROOT = Path(__file__).resolve().parent.parent
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(port: int, static_root: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="esa_publish.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://x",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=static_root,
        BENCH_BARE_VIEW="1",
        WEB_CONCURRENCY="2",
        # Production recycles a worker every ~1,000 requests; at benchmark rates that would be
        # every few seconds and measure worker start-up instead of pages.
        GUNICORN_MAX_REQUESTS="1000000",
        GUNICORN_LOG_LEVEL="warning",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
        PYTHAINLP_READ_ONLY="1",
    )
    return env


def fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER})
    with urllib.request.urlopen(request, timeout=30) as response:  # loopback only
        return response.read()


def worker_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by gunicorn's worker processes.

    Requests per worker-CPU-second does not depend on what else the machine is running, which
    wall-clock requests per second on a shared machine does.
    """
    total = 0
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        try:
            fetch(base + "/robots.txt")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


def drive(make_url, seconds: float = SECONDS, threads: int = THREADS) -> tuple[int, int]:
    """Requests answered in ``seconds`` by ``threads`` threads, and the number of errors.

    ``make_url`` gets a number never given before, so cache-busting addresses stay unique
    across rounds."""
    counter = REQUEST_NUMBERS
    done = [0] * threads
    errors = [0] * threads
    stop = time.monotonic() + seconds

    def worker(slot: int) -> None:
        while time.monotonic() < stop:
            try:
                fetch(make_url(next(counter)))
                done[slot] += 1
            except OSError:
                errors[slot] += 1

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(done), sum(errors)


def main() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import catalog_pages

    # The database: built (or found) in this process, then used by the server.
    catalog_pages.use_bench_database()
    from _measure import setup_django

    setup_django()
    catalog_pages.prepare()
    from django.db import connection
    from django.db.models import Count

    from catalog.models import Category

    biggest = Category.objects.annotate(n=Count("items")).order_by("-n").first()
    vendor = connection.vendor
    connection.close()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="esa-static-") as static_root:
        env = server_environment(port, static_root)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        gunicorn = Path(sys.executable).parent / "gunicorn"
        server = subprocess.Popen(
            [str(gunicorn), "-c", "python:esa_publish.gunicorn_conf"], cwd=ROOT, env=env
        )
        try:
            wait_until_up(base, server)
            home = "/"
            category = f"/catalog/category/{biggest.slug}/"
            sizes = {path: len(fetch(base + path)) for path in (home, category)}
            bare = "/catalog/bench/bare/?bytes={}"
            targets = [
                ("bare view, home's size", lambda n: base + bare.format(sizes[home])),
                ("home (page cache)", lambda n: base + home),
                ("home (every request misses the cache)", lambda n: f"{base}{home}?b={n}"),
                ("bare view, category page's size", lambda n: base + bare.format(sizes[category])),
                ("category page 1 (page cache)", lambda n: base + category),
                (
                    "category page 1 (every request misses the cache)",
                    lambda n: f"{base}{category}?b={n}",
                ),
            ]
            print(
                f"database: {vendor}; page sizes: home {sizes[home]:,} B, "
                f"category {sizes[category]:,} B; {THREADS} threads x {SECONDS} s each; "
                f"load average {os.getloadavg()[0]:.1f}"
            )
            print("| target | req/s | req per worker CPU-second | errors |")
            print("|---|---:|---:|---:|")
            for _, make_url in targets:
                fetch(make_url(0))  # both workers import and warm up before timing
            # The machine is shared: targets take turns in short rounds, so a burst of someone
            # else's work slows all of them alike rather than whichever ran at that moment.
            totals = {label: [0, 0.0, 0.0, 0] for label, _ in targets}
            for _ in range(ROUNDS):
                for label, make_url in targets:
                    cpu_before = worker_cpu_seconds(server.pid)
                    started = time.monotonic()
                    requests, errors = drive(make_url, seconds=SECONDS / ROUNDS)
                    row = totals[label]
                    row[0] += requests
                    row[1] += time.monotonic() - started
                    row[2] += worker_cpu_seconds(server.pid) - cpu_before
                    row[3] += errors
            for label, (requests, elapsed, cpu, errors) in totals.items():
                print(
                    f"| {label} | {requests / elapsed:.0f} | {requests / cpu:.0f} | {errors} |",
                    flush=True,
                )
            print(f"load average at the end: {os.getloadavg()[0]:.1f}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
