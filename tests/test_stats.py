"""Counting page views and downloads: per item and day, no personal data, no robots."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog import stats
from catalog.models import DailyStat
from tests.test_cache_redis import REDIS_TEST_URL, redis_settings
from tests.test_catalog_pages import (
    BROWSER,
    _fresh_cache,  # noqa: F401 (autouse: empty page cache)
    a_category,
    make_items,
    real_queries,
)

pytestmark = pytest.mark.django_db

LINE_PREVIEW = "facebookexternalhit/1.1;line-poker/1.0"


@pytest.fixture
def item(people):
    return make_items(1, a_category())[0]


def today_row(item) -> DailyStat:
    stats.flush()
    return DailyStat.objects.get(item=item, day=timezone.localdate())


def test_a_page_view_is_counted_once_per_request(client, item):
    for _ in range(3):
        client.get(item.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    row = today_row(item)
    assert (row.views, row.downloads) == (3, 0)


def test_downloads_are_counted_apart_from_views(client, item):
    f = item.files.get()
    client.get(reverse("catalog:download", args=[item.pk, f.pk]), HTTP_USER_AGENT=BROWSER)
    client.get(reverse("catalog:download", args=[item.pk, f.pk]), HTTP_USER_AGENT=BROWSER)
    photo = item.photos.get()
    client.get(reverse("catalog:photo", args=[item.pk, photo.pk, "full"]), HTTP_USER_AGENT=BROWSER)
    row = today_row(item)
    assert (row.views, row.downloads) == (0, 2)


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        LINE_PREVIEW,
        "Baiduspider",
        "curl/8.5.0",
        "Python-urllib/3.11",
    ],
)
def test_robots_and_preview_fetchers_are_not_counted(client, item, agent):
    client.get(item.get_absolute_url(), HTTP_USER_AGENT=agent)
    stats.flush()
    assert not DailyStat.objects.exists()


def test_head_requests_and_error_pages_are_not_counted(client, item):
    client.head(item.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    client.get(f"/catalog/{item.pk}/wrong-slug/", HTTP_USER_AGENT=BROWSER)  # a redirect
    client.get("/catalog/424242/x/", HTTP_USER_AGENT=BROWSER)
    stats.flush()
    assert not DailyStat.objects.exists()


def test_nothing_personal_is_stored(client, item):
    client.get(item.get_absolute_url(), HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.9")
    stats.flush()
    fields = {f.name for f in DailyStat._meta.get_fields()}
    assert fields == {"id", "item", "day", "views", "downloads"}
    row = DailyStat.objects.values().get()
    assert "203.0.113.9" not in str(row) and BROWSER not in str(row)


def test_a_hit_costs_two_queries_at_most(item):
    with CaptureQueriesContext(connection) as first:
        stats.bump(item.pk, stats.VIEWS)
    with CaptureQueriesContext(connection) as later:
        stats.bump(item.pk, stats.VIEWS)
    assert len(real_queries(first)) == 2  # UPDATE finding nothing, INSERT
    assert len(real_queries(later)) == 1  # UPDATE
    assert today_row(item).views == 2


def test_the_increment_is_done_by_the_database(item):
    with CaptureQueriesContext(connection) as queries:
        stats.bump(item.pk, stats.DOWNLOADS)
        stats.bump(item.pk, stats.DOWNLOADS)
    update = real_queries(queries)[-1]
    assert '"downloads" = ("catalog_dailystat"."downloads" + ' in update


def test_a_lost_race_on_the_first_hit_still_counts(item, monkeypatch):
    """Another request inserts the day's row between our UPDATE and our INSERT."""
    day = timezone.localdate()
    real_atomic = transaction.atomic

    @contextlib.contextmanager
    def rival_inserts_first():
        DailyStat.objects.create(item_id=item.pk, day=day, views=1)
        with real_atomic():
            yield

    monkeypatch.setattr(stats.transaction, "atomic", rival_inserts_first)
    stats.bump(item.pk, stats.VIEWS, day=day)
    monkeypatch.undo()
    assert today_row(item).views == 2


def test_days_are_counted_separately(item):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    stats.bump(item.pk, stats.VIEWS, day=yesterday)
    stats.bump(item.pk, stats.VIEWS)
    assert DailyStat.objects.filter(item=item).count() == 2


def test_an_unknown_counter_is_refused(item):
    with pytest.raises(ValueError):
        stats.bump(item.pk, "likes")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_hits_lose_no_count(people):
    """Eight threads count the same item at once on PostgreSQL: every hit is kept."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    target = make_items(1, a_category())[0]

    def hit(_):
        try:
            stats.bump(target.pk, stats.VIEWS)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(hit, range(40)))
    assert DailyStat.objects.get(item=target).views == 40


# --- counts off the request path ---------------------------------------------------------------


def _writes(queries) -> list[str]:
    return [q for q in real_queries(queries) if q.lstrip().upper().startswith(("INSERT", "UPDATE"))]


def test_an_anonymous_item_view_writes_nothing_to_the_database(client, item):
    for expected_cache in (None, "hit"):  # rendered, then from the page cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(item.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 200
        assert response.get("X-Catalog-Cache") == expected_cache
        assert _writes(queries) == []
    assert not DailyStat.objects.exists()  # not yet: the flush writes them
    assert stats.flush() == 1
    assert today_row(item).views == 2


def test_a_download_writes_nothing_until_the_flush(client, item):
    f = item.files.get()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("catalog:download", args=[item.pk, f.pk]), HTTP_USER_AGENT=BROWSER)
    assert _writes(queries) == []
    assert today_row(item).downloads == 1


def test_the_flush_adds_to_the_days_row_and_empties_the_pending_counts(item):
    DailyStat.objects.create(item=item, day=timezone.localdate(), views=5, downloads=1)
    stats.record(item.pk, stats.VIEWS)
    stats.record(item.pk, stats.DOWNLOADS)
    assert stats.flush() == 1
    assert stats.flush() == 0  # nothing left to write
    row = today_row(item)
    assert (row.views, row.downloads) == (6, 2)


def test_counts_of_an_item_deleted_before_the_flush_are_dropped(item):
    stats.record(item.pk, stats.VIEWS)
    item.delete()
    assert stats.flush() == 0
    assert not DailyStat.objects.exists()


@pytest.fixture
def redis_caches():
    """CACHES on the real Redis at REDIS_TEST_URL, under a key prefix of the test's own."""
    import uuid

    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL}: {exc}")
    prefix = f"esa-test-{uuid.uuid4().hex[:12]}"
    yield redis_settings(REDIS_TEST_URL, prefix)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def _burst(item_id: int, views: int, threads: int = 8) -> None:
    """``views`` counted item views from ``threads`` threads at once, as workers' requests."""
    from concurrent.futures import ThreadPoolExecutor

    from django.test import RequestFactory

    request = RequestFactory().get("/", HTTP_USER_AGENT=BROWSER)

    def hits(n):
        for _ in range(n):
            stats.count_view(request, item_id)

    share = views // threads
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(hits, [share] * threads))


def test_a_burst_of_ten_thousand_views_is_exact_after_the_flush(item):
    _burst(item.pk, 10_000)
    assert stats.flush() == 1
    assert today_row(item).views == 10_000


@pytest.mark.redis
def test_a_burst_of_ten_thousand_views_is_exact_after_the_flush_with_redis(item, redis_caches):
    with override_settings(CACHES=redis_caches):
        _burst(item.pk, 10_000)
        # Counted in Redis, where every worker and machine counts: nothing in this process.
        assert not stats._memory
        assert stats.flush() == 1
        assert stats.flush() == 0
    assert today_row(item).views == 10_000


@pytest.mark.redis
def test_with_redis_counts_of_another_process_are_flushed_here(item, redis_caches):
    """What a worker counts, the timer's `manage.py flush_stats` (another process) writes."""
    import subprocess
    import sys

    from tests.instances import ROOT, clean_env

    code = (
        "import django; django.setup()\n"
        "from django.test import RequestFactory\n"
        "from catalog import stats\n"
        "request = RequestFactory().get('/', HTTP_USER_AGENT='Mozilla/5.0 Firefox/130')\n"
        f"for _ in range(250): stats.count_view(request, {item.pk})\n"
        f"stats.count_download(request, {item.pk})\n"
    )
    env = clean_env(
        REDIS_URL=REDIS_TEST_URL, CACHE_KEY_PREFIX=redis_caches["default"]["KEY_PREFIX"]
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    with override_settings(CACHES=redis_caches):
        from django.core.management import call_command

        call_command("flush_stats", verbosity=0)
    row = today_row(item)
    assert (row.views, row.downloads) == (250, 1)


@pytest.mark.redis
def test_with_redis_a_flush_that_died_is_finished_by_the_next(item, redis_caches):
    """A flush renames the pending counts before writing them; if it dies there, the renamed
    counts are written by the next flush, before the ones counted since."""
    from django.core.cache import caches

    with override_settings(CACHES=redis_caches):
        cache = caches["default"]
        client = cache._cache.get_client(write=True)
        for _ in range(3):
            stats.record(item.pk, stats.VIEWS)
        client.rename(
            cache.make_and_validate_key(stats.PENDING_KEY),
            cache.make_and_validate_key(stats.FLUSHING_KEY),
        )  # where a flush that died left them
        stats.record(item.pk, stats.VIEWS)
        assert stats.flush() == 2  # the same row, once per batch
    assert today_row(item).views == 4


# --- a real gunicorn: counts survive a clean stop ------------------------------------------------

MAKE_ITEM = """
from tests.factories import OfficeFactory
from tests.test_catalog_pages import a_category, make_items
OfficeFactory()
print(make_items(1, a_category())[0].get_absolute_url())
"""

READ_VIEWS = """
from django.db.models import Sum
from catalog.models import DailyStat
print(DailyStat.objects.aggregate(v=Sum("views"))["v"] or 0)
"""


@pytest.mark.django_db(transaction=True)
def test_a_clean_stop_of_gunicorn_writes_every_pending_count(tmp_path):
    """Two workers count in memory with a flush interval far away; stopping gunicorn (as
    systemctl restart does) makes each worker write its counts on the way out."""
    import os
    import signal
    import subprocess
    import time
    import urllib.request

    from tests.instances import ROOT, clean_env, manage, python, scratch_database
    from tests.test_serve import free_port

    port = free_port()
    with scratch_database(tmp_path) as db_url:
        env = clean_env(
            DEBUG="true",
            DATABASE_URL=db_url,
            MEDIA_ROOT=str(tmp_path / "media"),
            GUNICORN_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="2",
            STATS_FLUSH_SECONDS="3600",
        )
        assert manage(env, "migrate", "-v0", timeout=300).returncode == 0
        made = python(env, MAKE_ITEM)
        assert made.returncode == 0, made.stderr
        url = f"http://127.0.0.1:{port}{made.stdout.strip().splitlines()[-1]}"
        log = tmp_path / "gunicorn.log"
        with open(log, "w") as out:
            server = subprocess.Popen(
                [str(ROOT / ".venv/bin/gunicorn"), "-c", "python:esa_publish.gunicorn_conf"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            deadline = time.monotonic() + 180
            while log.read_text().count("warm in") < 2:  # both workers warmed up
                assert server.poll() is None, log.read_text()[-3000:]
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.2)
            for _ in range(30):
                request = urllib.request.Request(url, headers={"User-Agent": BROWSER})
                with urllib.request.urlopen(request, timeout=10) as response:
                    assert response.status == 200
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        views = python(env, READ_VIEWS)
        assert views.returncode == 0, views.stderr
        assert views.stdout.strip() == "30", log.read_text()[-3000:]
