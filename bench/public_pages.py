"""Public pages against bare Django in one run: warm and cold, interleaved (not a test).

Issue 18's figures. Starts gunicorn with the production configuration (as
bench/catalog_throughput.py does, whose helpers it uses: 2 workers, DEBUG off, no recycling)
against the benchmark database of bench/catalog_pages.py, built with ``BENCH_ITEMS`` items
(100,000 by default, as in issue 18). Each
page is compared with the bare Django view (``catalog:bench_bare``: same middleware, no database,
no template) answering exactly as many bytes, measured in the same rounds:

- item page, warm (page cache) and cold (a new query string every request);
- category page 1, warm and cold, and page 50 cold (deep in the list: OFFSET 980);
- search for a common word ("โครงการ"), cold (search pages are not cached);
- the category pages and the search "after a change": served under a catalog version never used
  before (bench/gunicorn_after_change.py), as by the first visitor after a publication, when
  nothing kept per version is there yet either. "Cold" alone still finds the count, the menus
  and the rows that the catalog version keeps.

Targets take turns in ``ROUNDS`` short rounds so that a burst of someone else's work on the
machine slows them alike; the load average is printed beside each figure. The client (16 Python
threads, urllib, one request at a time each, no Accept-Encoding: pages are sent uncompressed, as
the bare view's are) runs on the same machine. Besides requests per second, requests per CPU
second of the gunicorn workers are given: on a busy machine that is the steadier figure, and
the ratios are computed from both.

    .venv/bin/python bench/public_pages.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/esa_bench_pages \\
        .venv/bin/python bench/public_pages.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))  # the data set
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))  # per target, over all rounds
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SEARCH_WORD = "โครงการ"

GOALS = {  # target label: the least ratio to bare Django that issue 18 asks for
    "item page, warm": 0.5,
    "category p1, cold": 0.15,
    "category p50, cold": 0.15,
    "search, cold": 0.1,
    "category p1, after a change": 0.15,
    "category p50, after a change": 0.15,
    "search, after a change": 0.1,
}


def main() -> None:
    import catalog_pages
    import catalog_throughput as ct

    catalog_pages.use_bench_database()
    from _measure import setup_django

    setup_django()
    catalog_pages.prepare(count=ITEMS)
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from catalog.models import CatalogItem, Category
    from catalog.search import index

    if index.pending().exists():
        call_command("index_items", verbosity=0)
    biggest = Category.objects.annotate(n=Count("items")).order_by("-n").first()
    item = (
        CatalogItem.objects.live()
        .filter(photos__isnull=False, files__isnull=False)
        .order_by("-published_at")
        .first()
    )
    vendor, live = connection.vendor, CatalogItem.objects.live().count()
    connection.close()

    port = ct.free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="esa-static-") as static_root:
        env = ct.server_environment(port, static_root)
        env["RATELIMIT_SEARCH"] = "100000000/m"  # one client plays every visitor
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        gunicorn = Path(sys.executable).parent / "gunicorn"
        started = time.monotonic()
        server = subprocess.Popen(
            [str(gunicorn), "-c", str(ROOT / "bench" / "gunicorn_after_change.py")],
            cwd=ROOT,
            env=env,
        )
        try:
            ct.wait_until_up(base, server)
            boot = time.monotonic() - started
            item_path = item.get_absolute_url()
            category = f"/catalog/category/{biggest.slug}/"
            search = f"/search/?q={quote(SEARCH_WORD)}"
            sizes = {p: len(ct.fetch(base + p)) for p in (item_path, category, search)}
            bare = base + "/catalog/bench/bare/?bytes={}"
            targets = [
                ("bare Django, item page's size", lambda n: bare.format(sizes[item_path])),
                ("item page, warm", lambda n: base + item_path),
                ("item page, cold", lambda n: f"{base}{item_path}?b={n}"),
                ("bare Django, category page's size", lambda n: bare.format(sizes[category])),
                ("category p1, warm", lambda n: base + category),
                ("category p1, cold", lambda n: f"{base}{category}?b={n}"),
                ("category p50, cold", lambda n: f"{base}{category}?page=50&b={n}"),
                ("bare Django, search page's size", lambda n: bare.format(sizes[search])),
                ("search, cold", lambda n: f"{base}{search}&b={n}"),
                ("category p1, after a change", lambda n: f"{base}{category}?fresh={n}"),
                ("category p50, after a change", lambda n: f"{base}{category}?page=50&fresh={n}"),
                ("search, after a change", lambda n: f"{base}{search}&fresh={n}"),
            ]
            yardstick = {
                "item page, warm": 0,
                "item page, cold": 0,
                "category p1, warm": 3,
                "category p1, cold": 3,
                "category p50, cold": 3,
                "search, cold": 7,
                "category p1, after a change": 3,
                "category p50, after a change": 3,
                "search, after a change": 7,
            }
            print(
                f"database: {vendor}; {live:,} live items, biggest category "
                f"{biggest.n:,} items; page sizes: item {sizes[item_path]:,} B, category "
                f"{sizes[category]:,} B, search {sizes[search]:,} B; gunicorn up in {boot:.1f} s "
                f"(workers warm); {ct.THREADS} threads x {SECONDS:.0f} s per target in {ROUNDS} "
                f"rounds; load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            for _, make_url in targets:
                ct.fetch(make_url(0))
            totals = {label: [0, 0.0, 0.0, 0, 0.0] for label, _ in targets}
            for _ in range(ROUNDS):
                for label, make_url in targets:
                    cpu_before = ct.worker_cpu_seconds(server.pid)
                    start = time.monotonic()
                    requests, errors = ct.drive(make_url, seconds=SECONDS / ROUNDS)
                    row = totals[label]
                    row[0] += requests
                    row[1] += time.monotonic() - start
                    row[2] += ct.worker_cpu_seconds(server.pid) - cpu_before
                    row[3] += errors
                    row[4] += os.getloadavg()[0] / ROUNDS
            rates = {
                label: (requests / elapsed, requests / cpu if cpu else 0.0)
                for label, (requests, elapsed, cpu, _, _) in totals.items()
            }
            print(
                "| page | req/s | × bare (req/s) | req per worker CPU-s | CPU ms/req "
                "| × bare (CPU) | goal | errors | load avg |"
            )
            print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            for label, _ in targets:
                rate, per_cpu = rates[label]
                errors, load = totals[label][3], totals[label][4]
                ms = 1000 / per_cpu if per_cpu else 0.0
                if label in yardstick:
                    bare_rate, bare_cpu = rates[targets[yardstick[label]][0]]
                    ratio, cpu_ratio = rate / bare_rate, per_cpu / bare_cpu
                    goal = f"≥ {GOALS[label]}" if label in GOALS else ""
                    print(
                        f"| {label} | {rate:.0f} | {ratio:.2f} | {per_cpu:.0f} | {ms:.1f} "
                        f"| {cpu_ratio:.2f} | {goal} | {errors} | {load:.1f} |"
                    )
                else:
                    print(
                        f"| {label} | {rate:.0f} | 1 | {per_cpu:.0f} | {ms:.1f} | 1 |  "
                        f"| {errors} | {load:.1f} |"
                    )
            print(f"load average at the end: {os.getloadavg()[0]:.1f}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
