"""The JSON API, the feeds and the DCAT catalogue answer conditional GETs: ETag and
Last-Modified on every answer, 304 when nothing changed, a fresh answer when something did."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from catalog import conditional
from catalog.models import CatalogItem
from tests.test_catalog_pages import (
    _fresh_cache,  # noqa: F401 (autouse: empty page cache)
    a_category,
    make_items,
)

pytestmark = pytest.mark.django_db

ADDRESSES = [
    ("catalog:api_categories", []),
    ("catalog:api_items", []),
    ("catalog:feed", []),
    ("catalog:dcat", []),
]


@pytest.fixture
def item(people):
    (item,) = make_items(1, a_category(), published_at=timezone.now() - dt.timedelta(hours=2))
    return item


def urls(item):
    return [reverse(name, args=args) for name, args in ADDRESSES] + [
        reverse("catalog:api_item", args=[item.pk]),
        reverse("catalog:category_feed", args=[item.category.slug]),
    ]


def test_every_answer_carries_validators_and_cache_control(client, item):
    assert conditional.last_change() == item.created_at  # its row is newer than its date
    for url in urls(item):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["ETag"].startswith('"'), url
        assert response["Last-Modified"] == http_date(item.created_at.timestamp()), url
        assert "public" in response["Cache-Control"], url
        assert f"max-age={conditional.MAX_AGE}" in response["Cache-Control"], url


def test_it_answers_304_when_the_clients_copy_is_current(client, item):
    for url in urls(item):
        first = client.get(url)
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
        assert again.content == b""
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304, url


def test_a_304_costs_a_few_index_lookups_not_the_page(client, item):
    url = reverse("catalog:api_items")
    etag = client.get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(queries) <= 4


@pytest.mark.parametrize(
    "change",
    ["publish", "take down", "scheduled goes live", "import an old item", "office edited"],
)
def test_any_visible_change_gives_a_fresh_answer(client, item, office, change):
    url = reverse("catalog:api_items")
    first = client.get(url)
    if change == "publish":
        make_items(1, item.category, title="ใหม่", days_ago=0)
    elif change == "take down":
        item.withdrawn_at = timezone.now()
        item.save()
    elif change == "scheduled goes live":
        (later,) = make_items(1, item.category, published_at=timezone.now() + dt.timedelta(hours=1))
        CatalogItem.objects.filter(pk=later.pk).update(published_at=timezone.now())
    elif change == "import an old item":
        make_items(1, item.category, published_at=timezone.now() - dt.timedelta(days=900))
    else:
        office.phone = "038-000-000"
        office.save()
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_the_etag_differs_between_languages(client, item):
    url = reverse("catalog:feed")
    thai = client.get(url)["ETag"]
    client.cookies["django_language"] = "en"
    assert client.get(url)["ETag"] != thai
    assert client.get(url, HTTP_IF_NONE_MATCH=thai).status_code == 200


def test_errors_are_not_marked_cacheable(client, people):
    response = client.get(reverse("catalog:api_item", args=[999999]))
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


def test_it_works_before_the_office_profile_exists(client, db):
    empty = client.get(reverse("catalog:api_items"))
    assert empty.status_code == 200 and not empty.has_header("ETag")
    (item,) = make_items(1, a_category())
    assert conditional.last_change() == item.created_at
    assert client.get(reverse("catalog:api_items")).has_header("ETag")
