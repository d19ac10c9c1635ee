"""Where a cold public page spends its CPU: cProfile and SQL timings (not a test).

Renders the cold category page (page cache defeated by a new query string each time), the item
page (rendered, not from the cache) and a search, as an anonymous visitor through Django's test
client with DEBUG off, against the benchmark database of bench/catalog_pages.py
(``BENCH_DATABASE_URL``; ``BENCH_ITEMS`` items, 100,000 by default). For each page it prints
the p50 CPU time per request, the SQL queries with their summed time, and the functions with the
most time of their own (cProfile, 200 requests).

``BENCH_AFTER_CHANGE=1`` serves every request under a catalog version never used before, as for
the first visitor after a publication (nothing kept per version answers; see
bench/gunicorn_after_change.py). ``BENCH_SORT=cumulative`` sorts the profile by cumulative time.

    .venv/bin/python bench/profile_pages.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/esa_bench_pages \\
        .venv/bin/python bench/profile_pages.py
"""

from __future__ import annotations

import cProfile
import io
import itertools
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

RUNS = int(os.environ.get("BENCH_RUNS", "200"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))  # the data set
TOP = int(os.environ.get("BENCH_TOP", "18"))
AFTER_CHANGE = os.environ.get("BENCH_AFTER_CHANGE") == "1"
SORT = os.environ.get("BENCH_SORT", "tottime")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def targets():
    """(label, function of n giving a URL) for the pages profiled: the same as the benchmark's."""
    from django.db.models import Count
    from django.urls import reverse

    from catalog.models import CatalogItem, Category

    biggest = Category.objects.annotate(n=Count("items")).order_by("-n").first()
    category = reverse("catalog:category", args=[biggest.slug])
    item = (
        CatalogItem.objects.live()
        .filter(photos__isnull=False, files__isnull=False)
        .order_by("-published_at")
        .first()
        .get_absolute_url()
    )
    return [
        ("category page 1, cold", lambda n: f"{category}?b={n}"),
        ("item page, cold", lambda n: f"{item}?b={n}"),
        ("search, common word, cold", lambda n: f"/search/?q=โครงการ&b={n}"),
    ], biggest


class QueryLog:
    """Every statement a request runs, with its wall time (works with DEBUG off)."""

    def __init__(self):
        self.queries: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - start) * 1000, sql))


class _AfterChange:
    """A test client whose every request sees a catalog version nobody has used."""

    def __init__(self, client):
        self.client = client
        self.unused = itertools.count(10**12)

    def get(self, url):
        from catalog import cache

        versions = {**cache._database_versions(), cache.CATALOG: next(self.unused)}
        cache._read.versions = (versions, time.monotonic())
        try:
            return self.client.get(url)
        finally:
            cache.forget_version()


def main() -> None:
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import catalog_pages

    catalog_pages.use_bench_database()
    from _measure import client_environment, setup_django

    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    client_environment()
    catalog_pages.prepare(count=ITEMS)
    from django.core.management import call_command

    from catalog.search import index

    if index.pending().exists():
        call_command("index_items", verbosity=0)
    settings.DEBUG = False
    settings.RATELIMIT_SEARCH = "100000000/m"
    client = Client(HTTP_USER_AGENT=BROWSER)
    if AFTER_CHANGE:
        client = _AfterChange(client)
    numbers = itertools.count()
    pages, _ = targets()
    only = os.environ.get("BENCH_ONLY")  # e.g. "category": profile just the pages so named
    pages = [page for page in pages if not only or only in page[0]]
    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f}")
    for label, make_url in pages:
        for _ in range(20):  # warm: templates, dictionary, connections
            assert client.get(make_url(next(numbers))).status_code == 200
        log = QueryLog()
        with connection.execute_wrapper(log):
            client.get(make_url(next(numbers)))
        sql_ms = sum(ms for ms, _ in log.queries)
        cpu = []
        for _ in range(RUNS):
            start = time.thread_time()
            client.get(make_url(next(numbers)))
            cpu.append((time.thread_time() - start) * 1000)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(RUNS):
            client.get(make_url(next(numbers)))
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats(SORT)
        stats.print_stats(TOP)
        print(
            f"\n## {label}: CPU p50 {statistics.median(cpu):.2f} ms, "
            f"{len(log.queries)} queries ({sql_ms:.1f} ms of SQL, wall)"
        )
        for ms, sql in log.queries:
            print(f"  {ms:6.2f} ms  {sql[:150]}")
        text = out.getvalue()
        print(text[text.find("ncalls") :])
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
