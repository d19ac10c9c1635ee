"""Benchmark: requests per second of the production server (gunicorn as `make serve` runs it).

Run from the repository root::

    .venv/bin/python bench/serve_throughput.py                       # /, 2 workers, 8 clients
    .venv/bin/python bench/serve_throughput.py --workers 5 --clients 16 --seconds 20
    .venv/bin/python bench/serve_throughput.py --path / --path /catalog/ --path /healthz

It migrates a new SQLite database in a temporary folder and loads the demo data (or uses
``--database-url``), collects static files, starts gunicorn with DEBUG off on a free loopback
port, warms it up, then lets ``--clients`` threads fetch each path in turn for ``--seconds``
(bounded: loopback only, stops by itself). Reports requests/s, latency percentiles and errors.
The client threads share the machine with the server, so on a small machine the figure is a
lower bound of what the server alone could do.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-" + "k3J9-x" * 9


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> int:
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def hammer(url: str, clients: int, seconds: float) -> tuple[list[float], int]:
    """``clients`` threads fetching ``url`` until the time is up; latencies (ms) and errors."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        nonlocal errors
        mine, bad = [], 0
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                status = fetch(url)
            except OSError:
                status = 0
            mine.append((time.perf_counter() - start) * 1000)
            bad += status != 200
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(args) -> None:
    work = Path(tempfile.mkdtemp(prefix="esa-bench-serve-"))
    port = free_port()
    env = {
        **os.environ,
        "PYTHAINLP_READ_ONLY": "1",
        "DJANGO_SETTINGS_MODULE": "esa_publish.settings",
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://publish.example.go.th",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": args.database_url or f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": args.static_root or str(work / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(args.workers),
        "LOG_LEVEL": "WARNING",  # the request lines would cost the server time of their own
        # Steady state: no worker restarts in the middle of a measurement.
        "GUNICORN_MAX_REQUESTS": "0",
    }
    manage = [sys.executable, "manage.py"]
    for step in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + step, cwd=ROOT, env=env, check=True)
    if not args.database_url:
        subprocess.run(manage + ["seed_demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--config", "python:esa_publish.gunicorn_conf"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if fetch(base + "/healthz") == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise SystemExit("gunicorn did not start")
        print(f"CPUs {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}, ")
        print(f"gunicorn workers {args.workers}, clients {args.clients}, {args.seconds:.0f} s each")
        for path in args.path or ["/"]:
            hammer(base + path, args.clients, 2)  # warm-up: imports, caches, connections
            latencies, errors = hammer(base + path, args.clients, args.seconds)
            rate = len(latencies) / args.seconds
            print(
                f"{path:<20} {rate:7.1f} req/s  p50 {statistics.median(latencies):6.1f} ms  "
                f"p95 {percentile(latencies, 0.95):6.1f} ms  p99 {percentile(latencies, 0.99):6.1f}"
                f" ms  errors {errors}/{len(latencies)}"
            )
        workers = children(server.pid)
        sizes = ", ".join(f"{rss_mb(pid):.0f}" for pid in workers)
        print(f"resident memory: master {rss_mb(server.pid):.0f} MB, workers {sizes} MB")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--path", action="append", help="path to fetch (repeatable)")
    parser.add_argument("--database-url", help="an existing, migrated database to serve")
    parser.add_argument("--static-root", help="reuse collected static files from this folder")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 120:
        parser.error("--seconds must be between 1 and 120")
    # Killed from outside (timeout, Ctrl-C): still stop the gunicorn this script started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    run(args)


if __name__ == "__main__":
    main()
