"""One decision and a bulk decision of 50 requests through the workflow's services.

Builds a throw-away database (SQLite file in /tmp, or the PostgreSQL server named by
BENCH_DATABASE_URL), fills it with requests waiting for the director, then measures:

- the SQL queries of one transition (the deputy's opinion, ``request_recommend``);
- ``request_decide_many`` on 10 and on 50 requests: wall time (best and median of 5 rounds,
  e-mails on commit included, to Django's in-memory mail backend) and queries, so the queries
  per request can be seen to stay constant.

    .venv/bin/python bench/bulk_decide.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/esa_bench \\
        .venv/bin/python bench/bulk_decide.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 5

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
from django.utils import timezone  # noqa: E402

from approvals.services import request_decide_many, request_recommend  # noqa: E402
from catalog.models import Category  # noqa: E402
from requests.models import PublicationRequest  # noqa: E402
from requests.states import State  # noqa: E402

seq = 0


def waiting(people, count: int, state: str = State.RECOMMENDED) -> list[int]:
    """``count`` filed requests waiting in ``state`` (made directly: the set-up is not measured)."""
    global seq
    category = Category.objects.get(code="1.8")
    now = timezone.now()
    made = PublicationRequest.objects.bulk_create(
        PublicationRequest(
            state=state,
            requester=people.requester,
            unit=people.unit,
            requester_name=people.requester.full_name,
            unit_name=people.unit.name,
            publish_title=f"ข่าวประชาสัมพันธ์กิจกรรม ลำดับที่ {seq + n}",
            category=category,
            first_reviewer="group_director",
            doc_prefix="ศธ 04032",
            doc_year=2569,
            doc_seq=seq + n + 1,
            submitted_at=now,
            state_changed_at=now,
            due_on=timezone.localdate(),
        )
        for n in range(count)
    )
    seq += count
    return [r.pk for r in made]


def counted(call) -> tuple[float, int]:
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        call()
        elapsed = time.perf_counter() - start
    return elapsed, len(executed)


def bulk(people, n: int) -> tuple[float, float, int]:
    times, queries = [], 0
    for _ in range(ROUNDS):
        ids = waiting(people, n)
        elapsed, queries = counted(
            lambda ids=ids: request_decide_many(
                seen=dict.fromkeys(ids, State.RECOMMENDED),
                user=people.director,
                verdict="allow",
                comment="เห็นชอบ",
            )
        )
        times.append(elapsed)
    return min(times), statistics.median(times), queries


def main() -> None:
    import logging

    logging.disable(logging.INFO)
    client_environment()
    call_command("migrate", verbosity=0)
    from tests.factories import OfficeFactory, make_people

    OfficeFactory()
    people = make_people()
    (one,) = waiting(people, 1, State.REVIEWED)
    _, transition = counted(
        lambda: request_recommend(request_id=one, user=people.deputy, verdict="allow")
    )
    best10, median10, q10 = bulk(people, 10)
    best50, median50, q50 = bulk(people, 50)
    load = Path("/proc/loadavg").read_text().strip()
    print(f"database: {connection.vendor}; load average: {load}")
    print(f"one transition (request_recommend): {transition} queries")
    print(f"bulk decision of 10: best {best10:.3f} s, median {median10:.3f} s, {q10} queries")
    print(f"bulk decision of 50: best {best50:.3f} s, median {median50:.3f} s, {q50} queries")
    per_request = (q50 - q10) / 40
    print(f"queries per request: {per_request:.1f} (fixed part {q10 - 10 * per_request:.0f})")


if __name__ == "__main__":
    main()
