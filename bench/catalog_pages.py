"""The public catalog pages with 100,000 live items in 60 categories (not a test).

Builds a throw-away database (a SQLite file in /tmp, or the PostgreSQL database named by
BENCH_DATABASE_URL), fills it with ``bench/catalog_data.populate`` (bulk_create, about 2% taken
down and 1% scheduled), then times each page as an anonymous visitor through Django's test
client: p50 and p95 of the server-side time over 50 requests, and the number of SQL queries.
Home and category pages are measured twice: with the page cache emptied before every request
(the work a cache miss costs) and served from the cache. The database is kept, so a second run (and
bench/catalog_throughput.py) starts at once; BENCH_FRESH=1 rebuilds it.

    .venv/bin/python bench/catalog_pages.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/esa_bench_pages \\
        .venv/bin/python bench/catalog_pages.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ITEMS = 100_000
CATEGORIES = 60
RUNS = 50
# BENCH_SQLITE_PATH lets two people on one machine keep separate benchmark files.
SQLITE_PATH = Path(os.environ.get("BENCH_SQLITE_PATH", "/tmp/esa-bench-pages/bench.sqlite3"))
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def use_bench_database() -> None:
    """Point Django at the benchmark database (before Django is set up)."""
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{SQLITE_PATH}"
    os.environ.setdefault("MEDIA_ROOT", str(SQLITE_PATH.parent / "media"))
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here.parent), str(here)]


def prepare(count: int = ITEMS, categories: int = CATEGORIES) -> None:
    """Migrate and fill the database once; later runs reuse it unless BENCH_FRESH=1."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from catalog.models import CatalogItem
    from esa_publish.office.models import Office

    if os.environ.get("BENCH_FRESH") == "1" or CatalogItem.objects.count() < count:
        from catalog_data import populate

        CatalogItem.objects.all().delete()
        start = time.perf_counter()
        populate(count, categories)
        print(f"populated {count} items in {time.perf_counter() - start:.0f} s", flush=True)
        if connection.vendor == "postgresql":
            # What autovacuum would have done by now: statistics and the visibility map.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        # SQLite is left without ANALYZE statistics, as an office's database is: nothing runs it.
        # With them, SQLite takes the mostly-NULL replaced_by index for useless and scans the
        # whole table for an item page's "replaces" list.
    if not Office.objects.exists():
        from tests.factories import OfficeFactory

        OfficeFactory()
    # The ITA page measured is 2568's: the office has confirmed that year's (shipped) list, or
    # the page would only say that the list is not yet announced.
    from django.utils import timezone

    from catalog.models import ITAItem, ITAList

    ITAItem.objects.filter(fiscal_year=2568).update(needs_check=False)
    ITAList.objects.filter(fiscal_year=2568, confirmed_at=None).update(confirmed_at=timezone.now())


def measure(client, url, *, before=None, **headers) -> tuple[float, float, float, int]:
    """p50 and p95 wall time, p50 CPU time of this process (ms), and the query count.

    The CPU time is given because these machines are shared: wall time grows with whatever else
    runs, while this process's CPU time does not. It includes SQLite's work (in process) but not
    the PostgreSQL server's.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if before:
        before()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    # Counted now: every later request empties the connection's query log (request_started).
    query_count = len(queries)
    times, cpu = [], []
    for _ in range(RUNS):
        if before:
            before()
        start, start_cpu = time.perf_counter(), time.thread_time()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    return statistics.median(times), p95, statistics.median(cpu), query_count


def main() -> None:
    use_bench_database()
    from _measure import setup_django

    setup_django()
    from _measure import client_environment
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from catalog import cache as page_cache
    from catalog.models import CatalogItem, Category

    client_environment()
    prepare()
    live = CatalogItem.objects.live()
    biggest = Category.objects.annotate(n=Count("items")).order_by("-n").only("slug").first()
    category_url = reverse("catalog:category", args=[biggest.slug])
    in_category = live.filter(category=biggest).count()
    item = live.filter(photos__isnull=False, files__isnull=False).order_by("-published_at").first()
    empty_cache = page_cache.page_cache().clear

    pages = [
        ("home, cache emptied", "/", empty_cache),
        ("home, from the cache", "/", None),
        (f"category ({in_category:,} items), page 1, cache emptied", category_url, empty_cache),
        ("category, page 1, from the cache", category_url, None),
        ("category, page 40, cache emptied", category_url + "?page=40", empty_cache),
        (
            "category, year + unit + kind=pdf filters, cache emptied",
            f"{category_url}?fiscal_year=2568&unit={item.unit_id}&kind=pdf",
            empty_cache,
        ),
        ("item page (3 photos max, counted view)", item.get_absolute_url(), None),
        (
            "API item list, page_size=100, cache emptied",
            reverse("catalog:api_items") + "?page_size=100",
            empty_cache,
        ),
        ("ITA evidence page", reverse("catalog:ita", args=[2568]), None),
    ]
    client = Client()
    print(f"database: {connection.vendor}; live items: {live.count():,}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| page | p50 ms | p95 ms | p50 CPU ms | queries |")
    print("|---|---:|---:|---:|---:|")
    for label, url, before in pages:
        p50, p95, cpu, queries = measure(client, url, before=before, HTTP_USER_AGENT=BROWSER)
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {cpu:.1f} | {queries} |", flush=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
