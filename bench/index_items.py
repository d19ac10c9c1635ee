"""Benchmark: indexing 100,000 catalog items for search with ``manage.py index_items``.

Target: under 10 minutes on the 2-core machine, on SQLite and on PostgreSQL.

    .venv/bin/python bench/index_items.py                     # SQLite file in /tmp
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/esa_bench_search \\
        .venv/bin/python bench/index_items.py
    .venv/bin/python bench/index_items.py --count 20000 --jobs 1

The catalog comes from ``bench/catalog_data.populate`` (seeded, so every run indexes the same
text). The SQLite file (``/tmp/esa-bench-search/bench.sqlite3``, or BENCH_SQLITE_PATH) and the
PostgreSQL database are kept between runs and filled only when they hold fewer items than
``--count``, so ``bench/search.py`` can run on the index left behind. Each timed run starts from
an empty index. Create the PostgreSQL database first: ``psql -U postgres -h 127.0.0.1 -c
'CREATE DATABASE esa_bench_search'``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DEFAULT_SQLITE = Path(os.environ.get("BENCH_SQLITE_PATH", "/tmp/esa-bench-search/bench.sqlite3"))


def use_bench_database() -> None:
    """Point Django at the bench database before it is set up (module level stays import-safe:
    the indexing workers are spawned processes that import this file again)."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DEFAULT_SQLITE}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("MEDIA_ROOT", str(DEFAULT_SQLITE.parent / "media"))
    for path in (str(BENCH), str(BENCH.parent)):
        if path not in sys.path:
            sys.path.insert(0, path)
    from _measure import setup_django

    setup_django()


def ensure_items(count: int, categories: int) -> tuple[float, float]:
    """Fill the catalog up to ``count`` items; returns the wall and CPU seconds spent (zeros if
    they were there already)."""
    from catalog_data import populate
    from django.core.management import call_command

    from catalog.models import CatalogItem

    call_command("migrate", verbosity=0)
    have = CatalogItem.objects.count()
    if have >= count:
        return 0.0, 0.0
    if have:
        sys.exit(f"the bench database holds {have:,} items, fewer than {count:,}: remove it first")
    start, cpu = time.perf_counter(), time.process_time()
    populate(
        count,
        categories,
        progress=lambda done, total: print(
            f"\r  created {done:,}/{total:,}", end="", file=sys.stderr
        ),
    )
    print(file=sys.stderr)
    return time.perf_counter() - start, time.process_time() - cpu


def timed_index(jobs: int, batch: int) -> tuple[float, float]:
    """Empty the index, then time ``manage.py index_items`` rebuilding it: wall and CPU seconds
    (CPU of this process: with SQLite that includes the database, not so with PostgreSQL)."""
    from django.core.management import call_command

    from catalog.models import CatalogSearchEntry

    CatalogSearchEntry.objects.all().delete()
    start, cpu = time.perf_counter(), time.process_time()
    call_command("index_items", jobs=jobs, batch=batch)
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--categories", type=int, default=60)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument(
        "--jobs", type=int, nargs="*", default=[1, 2], help="process counts to time (default 1 2)"
    )
    args = parser.parse_args()
    use_bench_database()

    import django
    from django.db import connection

    from catalog.models import CatalogItem, CatalogSearchEntry

    populated, populate_cpu = ensure_items(args.count, args.categories)
    items = CatalogItem.objects.count()
    print(
        f"database: {connection.vendor}, {items:,} items, Django {django.get_version()}, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    if populated:
        print(
            f"populate({args.count:,}, {args.categories}): {populated:.1f} s "
            f"({populate_cpu:.1f} s CPU in this process)"
        )
    for jobs in args.jobs:
        seconds, cpu = timed_index(jobs, args.batch)
        entries = CatalogSearchEntry.objects.count()
        verdict = "OK" if seconds < 600 else "TOO SLOW"
        print(
            f"index_items --jobs {jobs}: {entries:,} entries in {seconds:.1f} s "
            f"({cpu:.1f} s CPU in this process) "
            f"({entries / seconds:,.0f} items/s) — target < 600 s: {verdict}; "
            f"load {os.getloadavg()[0]:.1f}"
        )
    start = time.perf_counter()
    from django.core.management import call_command

    call_command("index_items", verbosity=0)
    print(f"index_items with nothing to do: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
