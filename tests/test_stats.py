"""Counting page views and downloads: per item and day, no personal data, no robots."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog import stats
from catalog.models import DailyStat
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
    assert not DailyStat.objects.exists()


def test_head_requests_and_error_pages_are_not_counted(client, item):
    client.head(item.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    client.get(f"/catalog/{item.pk}/wrong-slug/", HTTP_USER_AGENT=BROWSER)  # a redirect
    client.get("/catalog/424242/x/", HTTP_USER_AGENT=BROWSER)
    assert not DailyStat.objects.exists()


def test_nothing_personal_is_stored(client, item):
    client.get(item.get_absolute_url(), HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.9")
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
