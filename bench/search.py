"""Benchmark: the search page over 100,000 live Thai items, server-side through Django's client.

Target: p50 under 50 ms for a typical Thai query, with the same number of SQL queries whatever
the query matches.

    .venv/bin/python bench/search.py                          # SQLite file in /tmp
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/esa_bench_search \\
        .venv/bin/python bench/search.py

Uses the same database as ``bench/index_items.py`` (filled and indexed here if that has not been
run). For each query: one warm-up request, then ``--runs`` timed requests of the whole page
(URL routing, the menus, the ranked search, loading the 20 items, marking and rendering), and
the ranked search alone (``catalog.search.search``), both as p50/p95 in milliseconds. The page's
CPU time in this process is shown too: on a machine shared with other work the wall time also
counts the waits for a CPU, the CPU time does not (with SQLite it covers the database's work;
PostgreSQL's runs in its own process). DEBUG is turned off for the timed runs, as in production.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
print = functools.partial(print)  # noqa: A001 - results appear as they come

# (label, query string); the first group is what people type, the last two are the extremes.
TYPICAL = [
    ("common word", {"q": "ประชาสัมพันธ์"}),
    ("compound, unspaced", {"q": "แผนปฏิบัติการ"}),
    ("procurement", {"q": "จัดซื้อจัดจ้าง"}),
    ("rarer phrase", {"q": "สอบคัดเลือกครูผู้ช่วย"}),
    ("prefix while typing", {"q": "ประชาสัม"}),
    ("words + Thai digits", {"q": "รายงานผลการดำเนินงาน ๒๕๖๘"}),
    ("school name", {"q": "โรงเรียนบ้านหนองไผ่"}),
    ("with filters", {"q": "กิจกรรม", "fiscal_year": "2569", "kind": "photo"}),
    ("Latin", {"q": "ITA Online"}),
]
EXTREMES = [
    ("matches almost all", {"q": "การ"}),
    ("no match", {"q": "ไม่มีคำนี้ในเอกสารใดเลย"}),
]


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--categories", type=int, default=60)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from index_items import ensure_items, use_bench_database

    use_bench_database()
    import django
    from _measure import client_environment
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalog.models import CatalogItem
    from catalog.search import Filters, index, search

    ensure_items(args.count, args.categories)
    if index.pending().exists():
        call_command("index_items")
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: planner statistics, the visibility map.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE catalog_catalogsearchentry, catalog_catalogitem")
    client_environment()
    settings.DEBUG = False
    # One client plays every visitor here: keep the per-visitor limit (and its cost, a count in
    # the cache) but far above what the timed runs send.
    settings.RATELIMIT_SEARCH = "1000000/m"
    client = Client()
    live = CatalogItem.objects.live().count()
    print(
        f"database: {connection.vendor}, {CatalogItem.objects.count():,} items "
        f"({live:,} live), Django {django.get_version()}, load {os.getloadavg()[0]:.1f}"
    )
    print("| query | matches | page p50 | page p95 | page CPU p50 | search() p50 | SQL queries |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    typical_p50, typical_cpu = [], []
    for group, cases in (("typical", TYPICAL), ("extreme", EXTREMES)):
        for label, params in cases:
            reset_queries()  # the request resets the log; start it empty so the count is right
            with CaptureQueriesContext(connection) as captured:
                response = client.get("/search/", params)
            assert response.status_code == 200, (label, response.status_code)
            queries = len(captured.captured_queries)  # now: later requests reset the log
            page_times, page_cpu, search_times = [], [], []
            filters = Filters(
                fiscal_year=int(params["fiscal_year"]) if "fiscal_year" in params else None,
                kind=params.get("kind"),
            )
            for _ in range(args.runs):
                start, cpu = time.perf_counter(), time.process_time()
                client.get("/search/", params)
                page_times.append((time.perf_counter() - start) * 1000)
                page_cpu.append((time.process_time() - cpu) * 1000)
                start = time.perf_counter()
                result = search(params["q"], filters=filters)
                search_times.append((time.perf_counter() - start) * 1000)
            p50, p95 = percentiles(page_times)
            search_p50, _ = percentiles(search_times)
            cpu_p50, _ = percentiles(page_cpu)
            if group == "typical":
                typical_p50.append(p50)
                typical_cpu.append(cpu_p50)
            print(
                f"| {label}: `{params['q']}`{' +filters' if len(params) > 1 else ''} "
                f"| {result.total:,}{'+' if result.more else ''} | {p50:.1f} ms | {p95:.1f} ms "
                f"| {cpu_p50:.1f} ms | {search_p50:.1f} ms "
                f"| {queries} |"
            )
    overall = statistics.median(typical_p50)
    verdict = "OK" if overall < 50 else "TOO SLOW"
    print(f"median of the typical queries' p50: {overall:.1f} ms — target < 50 ms: {verdict}")
    print(
        f"median of the typical queries' CPU p50 (this process: Django, and SQLite itself): "
        f"{statistics.median(typical_cpu):.1f} ms"
    )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
