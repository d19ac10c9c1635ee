"""A new gunicorn worker's first search and first memo, with and without the warm-up (not a test).

Starts gunicorn (production configuration, one worker) on the database of bench/catalog_pages.py
twice: with ``GUNICORN_WARM_UP=false`` and with the default warm-up (esa_publish/warm.py). Each
time it prints how long the worker took to be ready, the warm-up's own log line (what each step
cost), and the wall time of the first search and of the 2nd-21st (their median). The first memo
is measured in-process: render_memo_pdf cold, then warm, as the warm-up's step does it.

    .venv/bin/python bench/worker_warmup.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def timed_fetch(fetch, url: str) -> float:
    start = time.perf_counter()
    fetch(url)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    import catalog_pages
    import catalog_throughput as ct

    catalog_pages.use_bench_database()
    print(f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="esa-static-") as static_root:
        for warm in ("false", "true"):
            port = ct.free_port()
            env = ct.server_environment(port, static_root)
            env.update(
                WEB_CONCURRENCY="1",
                GUNICORN_WARM_UP=warm,
                RATELIMIT_SEARCH="1000000/m",
                GUNICORN_LOG_LEVEL="info",
            )
            if warm == "false":
                subprocess.run(
                    [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                    cwd=ROOT,
                    env=env,
                    check=True,
                )
            log = Path(static_root) / f"gunicorn-{warm}.log"
            base = f"http://127.0.0.1:{port}"
            started = time.monotonic()
            with open(log, "w") as out:
                server = subprocess.Popen(
                    [str(Path(sys.executable).parent / "gunicorn"), "-c",
                     "python:esa_publish.gunicorn_conf"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                )  # fmt: skip
            try:
                ct.wait_until_up(base, server)
                ready = time.monotonic() - started
                search = base + "/search/?q=" + quote("แผนปฏิบัติการ") + "&n={}"
                first = timed_fetch(ct.fetch, search.format(0))
                later = [timed_fetch(ct.fetch, search.format(n)) for n in range(1, 21)]
                print(
                    f"warm-up {warm}: worker answering {ready:.1f} s after start; first search "
                    f"{first:.0f} ms, 2nd-21st median {statistics.median(later):.0f} ms; "
                    f"load {os.getloadavg()[0]:.1f}"
                )
                for line in log.read_text().splitlines():
                    if "warm in" in line:
                        print("  " + line.split("] ", 1)[-1])
            finally:
                server.terminate()
                server.wait(timeout=60)

    # The memo: the first render of a process, then the next ones.
    from _measure import setup_django

    setup_django()
    from esa_publish import warm

    start = time.perf_counter()
    warm._memo()
    first = (time.perf_counter() - start) * 1000
    later = []
    for _ in range(5):
        start = time.perf_counter()
        warm._memo()
        later.append((time.perf_counter() - start) * 1000)
    print(
        f"memo: first render in a process {first:.0f} ms, later ones median "
        f"{statistics.median(later):.0f} ms; load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
