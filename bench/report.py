"""The quarterly report for a whole fiscal year with 100,000 items and 300,000 decisions.

Builds a throw-away database (a SQLite file in /tmp, or the PostgreSQL database named by
BENCH_DATABASE_URL) holding five fiscal years of an office's work, 2565 to 2569, spread evenly
(BENCH_CONCENTRATED=1 puts every row in 2569 instead, the worst case for a year's report), then
times the report of fiscal year 2569 through Django's test client as the office director:

* the figures alone (``approvals.reports.figures.compute``),
* the report page, its PDF and its workbook,

first with 10 units and 20 categories, then again after the rows are spread over 40 units and
60 categories, to show that the number of queries does not depend on either. Targets: page under
2 s, PDF under 3 s.

    .venv/bin/python bench/report.py
    psql postgres://postgres@127.0.0.1:5432/postgres -c "CREATE DATABASE esa_bench_report"
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/esa_bench_report \\
        .venv/bin/python bench/report.py

The database is kept, so a second run starts at once; BENCH_FRESH=1 rebuilds it (use it after
changing BENCH_CONCENTRATED). Building takes several minutes.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ITEMS = 100_000
REQUESTS = 60_000  # five decisions each: 300,000
STATS = 200_000
RUNS = 5
SQLITE_DIR = Path("/tmp/esa-bench-report")
BANGKOK = ZoneInfo("Asia/Bangkok")
CONCENTRATED = os.environ.get("BENCH_CONCENTRATED") == "1"
FRESH = os.environ.get("BENCH_FRESH") == "1"
YEARS = 1 if CONCENTRATED else 5
SPAN_START = dt.datetime(2026 - YEARS, 10, 1, tzinfo=BANGKOK)
SPAN_SECONDS = YEARS * 365 * 86400 - 3600
PATH = [  # (action, role, from, to, verdict) of a request's life, in order
    ("submit", "requester", "draft", "submitted", ""),
    ("review.forward", "group_director", "submitted", "reviewed", "allow"),
    ("deputy.allow", "deputy_director", "reviewed", "recommended", "allow"),
    ("director.allow", "director", "recommended", "approved", "allow"),
    ("webmaster.publish", "webmaster", "approved", "published", "allow"),
]
DENIED = [
    *PATH[:2],
    ("deputy.deny", "deputy_director", "reviewed", "recommended", "deny"),
    ("director.deny", "director", "recommended", "rejected", "deny"),
]
RETURNED = [*PATH[:1], ("review.return", "group_director", "submitted", "returned", "return")]


def use_bench_database() -> None:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        if FRESH:
            shutil.rmtree(SQLITE_DIR, ignore_errors=True)
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{SQLITE_DIR}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("MEDIA_ROOT", str(SQLITE_DIR / "media"))
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here.parent), str(here)]


def moment(rng: random.Random) -> dt.datetime:
    return SPAN_START + dt.timedelta(seconds=rng.randrange(SPAN_SECONDS))


def populate(rng: random.Random, units: list, categories: list, people) -> None:
    """Items, daily counts, requests and their decisions, spread over the fiscal years."""
    from approvals.models import Decision
    from catalog.models import CatalogItem, DailyStat
    from requests.models import PublicationRequest

    items = [
        CatalogItem(
            title=f"รายการทดสอบ {n}",
            slug=f"item-{n}",
            category=rng.choice(categories),
            fiscal_year=2569,
            unit=rng.choice(units),
            published_at=(published := moment(rng)),
            withdrawn_at=published + dt.timedelta(days=30) if n % 50 == 0 else None,
        )
        for n in range(ITEMS)
    ]
    CatalogItem.objects.bulk_create(items, batch_size=5000)
    ids = list(CatalogItem.objects.values_list("pk", flat=True))
    seen = set()
    stats = []
    while len(stats) < STATS:
        key = (rng.choice(ids), SPAN_START.date() + dt.timedelta(days=rng.randrange(365 * YEARS)))
        if key not in seen:
            seen.add(key)
            stats.append(DailyStat(item_id=key[0], day=key[1], views=rng.randrange(1, 50)))
    DailyStat.objects.bulk_create(stats, batch_size=10000)
    del stats, seen, items

    requests_ = [
        PublicationRequest(
            requester=people.requester,
            unit=rng.choice(units),
            category=rng.choice(categories),
            publish_title=f"คำขอทดสอบ {n}",
            state="published",
        )
        for n in range(REQUESTS)
    ]
    PublicationRequest.objects.bulk_create(requests_, batch_size=5000)
    # Decision.created_at is auto_now_add; the benchmark sets its own moments.
    Decision._meta.get_field("created_at").auto_now_add = False
    decisions = []
    for req_id in PublicationRequest.objects.values_list("pk", flat=True).iterator():
        path = PATH
        if req_id % 10 == 0:
            path = DENIED + [PATH[0]]  # a fifth row: a second request's worth of noise
        elif req_id % 10 == 1:
            path = RETURNED + [("resubmit", "requester", "returned", "submitted", "")] + PATH[1:3]
        at = moment(rng) - dt.timedelta(days=20)
        for action, role, from_state, to_state, verdict in path[:5]:
            at += dt.timedelta(hours=rng.randrange(1, 96))
            decisions.append(
                Decision(
                    request_id=req_id,
                    action=action,
                    role=role,
                    from_state=from_state,
                    to_state=to_state,
                    verdict=verdict,
                    actor=people.director,
                    actor_name="ผู้ทดสอบ",
                    created_at=at,
                )
            )
        if len(decisions) >= 20000:
            Decision.objects.bulk_create(decisions)
            decisions = []
    Decision.objects.bulk_create(decisions)
    Decision._meta.get_field("created_at").auto_now_add = True


def arrange(units: list, categories: list, n_units: int, n_categories: int) -> None:
    """Use the first ``n_units`` units and ``n_categories`` categories: spread every row over them
    (by id, so each gets its share) and retire the others, which then drop out of the report."""
    from django.db import connection

    from catalog.models import Category
    from esa_publish.office.models import Unit

    used_units, used_categories = units[:n_units], categories[:n_categories]
    Unit.objects.update(is_active=False)
    Unit.objects.filter(pk__in=[u.pk for u in used_units]).update(is_active=True)
    Category.objects.update(is_active=False)
    Category.objects.filter(pk__in=[c.pk for c in used_categories]).update(is_active=True)
    with connection.cursor() as cursor:
        for table in ("catalog_catalogitem", "requests_publicationrequest"):
            for column, rows in (("unit_id", used_units), ("category_id", used_categories)):
                for index, row in enumerate(rows):
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s WHERE id %% %s = %s",  # noqa: S608
                        [row.pk, len(rows), index],
                    )
        cursor.execute("ANALYZE")


def timed(func, runs: int = RUNS) -> tuple[float, float, int]:
    """(p50 wall ms, p50 CPU ms of this process, queries of the first call).

    CPU time is reported beside wall time because the machines these run on are shared: on
    SQLite, which runs inside this process, it is the time the work would take on an idle CPU.
    Queries are counted with an execute wrapper: the test client's request_started signal
    empties Django's query log, so CaptureQueriesContext would see none.
    """
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        func()
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), statistics.median(cpu), len(executed)


def measure(client, label: str) -> None:
    from django.urls import reverse

    from approvals.reports import figures
    from approvals.reports.periods import Period

    year = Period(2569, "year")

    def page(name):
        def get():
            response = client.get(reverse(f"reports:{name}", args=[2569, "year"]))
            assert response.status_code == 200, (name, response.status_code)

        return get

    rows = [
        ("figures.compute (year)", lambda: figures.compute(year)),
        ("report page (year)", page("report")),
        ("report PDF (year)", page("pdf")),
        ("report XLSX (year)", page("xlsx")),
    ]
    for name, func in rows:
        p50, cpu, queries = timed(func)
        print(
            f"{label:<26} {name:<24} p50 {p50:7.0f} ms (CPU {cpu:6.0f} ms)  {queries:3d} queries",
            flush=True,
        )


def main() -> None:
    use_bench_database()
    from _measure import setup_django

    setup_django()
    import logging

    logging.disable(logging.INFO)
    from _measure import client_environment
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    client_environment()
    settings.DEBUG = False  # no query log while timing
    call_command("migrate", verbosity=0)
    from approvals.models import Decision
    from catalog.models import Category
    from esa_publish.office.models import Unit, User
    from tests.factories import OfficeFactory, UnitFactory, make_people

    if FRESH or Decision.objects.count() < REQUESTS * 5:
        call_command("flush", interactive=False, verbosity=0)
        OfficeFactory()
        people = make_people()
        rng = random.Random(2569)
        for _ in range(38):
            UnitFactory()
        for n in range(60 - Category.objects.count()):
            Category.objects.create(name=f"หมวดทดสอบ {n}", slug=f"bench-{n}", code=f"9.{n}")
        start = time.perf_counter()
        with transaction.atomic():
            populate(rng, list(Unit.objects.all()), list(Category.objects.all()), people)
        print(f"populated in {time.perf_counter() - start:.0f} s", flush=True)
    units = list(Unit.objects.order_by("pk"))
    categories = list(Category.objects.order_by("pk"))
    print(f"database: {connection.vendor}; {YEARS} fiscal year(s) of rows", flush=True)
    client = Client()
    client.force_login(User.objects.get(username="director"))
    for n_units, n_categories in ((10, 20), (40, 60)):
        arrange(units, categories, n_units, n_categories)
        measure(client, f"{n_units} units, {n_categories} categories")


if __name__ == "__main__":
    main()
