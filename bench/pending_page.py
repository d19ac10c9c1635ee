"""The pending-work page ("งานรอพิจารณา") for a user with 1,000 waiting requests.

Builds a throw-away database (SQLite file in /tmp, or the PostgreSQL server named by
BENCH_DATABASE_URL), fills it with 1,000 submitted requests of one unit, then times the page as
the unit's director sees it through Django's test client: p50 and p95 of the server-side time over
50 requests, and the number of SQL queries for 10 and for 1,000 items.

    .venv/bin/python bench/pending_page.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/esa_bench \\
        .venv/bin/python bench/pending_page.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ITEMS = 1000
RUNS = 50

db_dir = tempfile.mkdtemp(prefix="esa-bench-")
os.environ["DATABASE_URL"] = (
    os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{db_dir}/bench.sqlite3"
)
os.environ.setdefault("MEDIA_ROOT", db_dir)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import setup_django  # noqa: E402

setup_django()

from _measure import client_environment  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from catalog.models import Category  # noqa: E402
from requests.models import PublicationRequest  # noqa: E402
from requests.states import State  # noqa: E402


def populate(people, count: int) -> None:
    category = Category.objects.get(code="1.8")
    now = timezone.now()
    existing = PublicationRequest.objects.count()
    PublicationRequest.objects.bulk_create(
        PublicationRequest(
            state=State.SUBMITTED,
            requester=people.requester,
            unit=people.unit,
            requester_name=people.requester.full_name,
            unit_name=people.unit.name,
            publish_title=f"ข่าวประชาสัมพันธ์กิจกรรม ลำดับที่ {n}",
            category=category,
            first_reviewer="group_director",
            doc_prefix="ศธ 04032",
            doc_year=2569,
            doc_seq=existing + n + 1,
            submitted_at=now,
            state_changed_at=now,
            due_on=timezone.localdate(),
        )
        for n in range(count)
    )


def measure(client, url) -> tuple[float, float, int]:
    # Django resets connection.queries at each request start, so count with a wrapper instead.
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(executed)


def main() -> None:
    import logging

    logging.disable(logging.INFO)  # the per-request log line would dominate the output
    client_environment()
    call_command("migrate", verbosity=0)
    from tests.factories import OfficeFactory, make_people

    OfficeFactory()
    people = make_people()
    client = Client()
    client.force_login(people.group_director)
    url = reverse("approvals:pending")
    populate(people, 10)
    p50_small, _, queries_small = measure(client, url)
    populate(people, ITEMS - 10)
    p50, p95, queries = measure(client, url)
    print(f"database: {connection.vendor}")
    print(f"pending page, 10 items: p50 {p50_small:.1f} ms, {queries_small} queries")
    print(
        f"pending page, {ITEMS} items (first page of 50): p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"{queries} queries"
    )


if __name__ == "__main__":
    main()
