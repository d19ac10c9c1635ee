"""Benchmark: what the per-visitor rate limit costs a request, in process memory and in Redis.

    .venv/bin/python bench/rate_limits.py                # Redis at 127.0.0.1:6379/15
    REDIS_BENCH_URL=redis://host:6379/3 .venv/bin/python bench/rate_limits.py

Times ``esa_publish.throttle.seconds_to_wait`` (the count the search page and the API make before
their view runs) for a visitor who stays under the limit, with the default in-process cache and
with Django's RedisCache, 20,000 calls each, and reports the median and p99 per call. Keys are
written under a prefix of their own and removed afterwards (never FLUSHDB).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _measure import setup_django  # noqa: E402

CALLS = 20_000
REDIS_URL = os.environ.get("REDIS_BENCH_URL", "redis://127.0.0.1:6379/15")


def timed(label: str) -> None:
    from django.test import RequestFactory

    from esa_publish.throttle import seconds_to_wait

    factory = RequestFactory()
    # 500 visitors in turn, as on a busy afternoon; the limit is never reached.
    requests = [
        factory.get("/search/", REMOTE_ADDR=f"198.18.{n // 250}.{n % 250 + 1}") for n in range(500)
    ]
    for request in requests:
        seconds_to_wait(request, "bench", "1000000/m")
    times = []
    for n in range(CALLS):
        request = requests[n % len(requests)]
        start = time.perf_counter()
        assert seconds_to_wait(request, "bench", "1000000/m") is None
        times.append((time.perf_counter() - start) * 1_000_000)
    times.sort()
    print(
        f"| {label} | {statistics.median(times):.0f} µs | {times[int(len(times) * 0.99)]:.0f} µs |"
    )


def main() -> None:
    setup_django()
    from django.test import override_settings

    print(f"load average {os.getloadavg()[0]:.1f}, {CALLS:,} calls per cache")
    print("| cache | p50 per request | p99 |")
    print("|---|---:|---:|")
    timed("in-process memory (no REDIS_URL)")
    prefix = f"esa-bench-{uuid.uuid4().hex[:12]}"
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        with override_settings(CACHES=redis_cache):
            timed(f"Redis ({REDIS_URL}, loopback)")
    finally:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)


if __name__ == "__main__":
    main()
