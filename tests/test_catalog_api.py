"""The read-only JSON API: categories, the item list with filters and paging, one item."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog import cache as page_cache
from catalog.models import CatalogItem
from requests.states import State
from tests.test_catalog_pages import (
    _fresh_cache,  # noqa: F401 (autouse: empty page cache)
    a_category,
    make_items,
)
from tests.workflow import make_request

pytestmark = pytest.mark.django_db


def get_json(client, url, data=None, status=200):
    response = client.get(url, data or {})
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_it_lists_active_categories_with_live_counts(client, people, settings):
    settings.SITE_URL = "https://esa.example.go.th"
    category = a_category()
    make_items(2, category)
    make_items(1, category, withdrawn_at=timezone.now())
    data = get_json(client, reverse("catalog:api_categories"))
    row = next(c for c in data["results"] if c["slug"] == category.slug)
    assert row["live_items"] == 2
    assert row["url"] == "https://esa.example.go.th" + reverse(
        "catalog:category", args=[category.slug]
    )
    assert row["items_url"].startswith("https://esa.example.go.th/catalog/api/items/?category=")
    assert data["count"] == len(data["results"])


def test_it_pages_items_with_next_and_previous(client, people):
    make_items(25, a_category())
    url = reverse("catalog:api_items")
    first = get_json(client, url, {"page_size": 10})
    assert first["count"] == 25
    assert len(first["results"]) == 10
    assert first["previous"] is None
    assert "page=2" in first["next"] and "page_size=10" in first["next"]
    last = get_json(client, url, {"page_size": 10, "page": 3})
    assert len(last["results"]) == 5
    assert last["next"] is None
    assert "page=2" in last["previous"]


def test_it_refuses_bad_paging(client, people):
    url = reverse("catalog:api_items")
    assert get_json(client, url, {"page_size": 101}, status=400)["detail"]
    assert get_json(client, url, {"page_size": 0}, status=400)["detail"]
    assert get_json(client, url, {"page": "x"}, status=400)["detail"]
    assert get_json(client, url, {"page": 99}, status=404)["detail"]


def test_it_filters_like_the_category_pages(client, people):
    category, other = a_category("1.8"), a_category("1.3")
    ours = make_items(1, category, unit=people.unit, fiscal_year=2568)[0]
    make_items(1, other, unit=people.other_unit)
    url = reverse("catalog:api_items")

    def ids(**query):
        return [r["id"] for r in get_json(client, url, query)["results"]]

    assert ids(category=category.slug) == [ours.pk]
    assert ids(fiscal_year=2568) == [ours.pk]
    assert ids(unit=people.unit.pk) == [ours.pk]
    assert len(ids(kind="pdf")) == 2
    assert ids(kind="xlsx") == []


def test_the_item_list_costs_the_same_for_5_and_100_items(
    client, people, django_assert_num_queries
):
    url = reverse("catalog:api_items")
    make_items(5, a_category())
    # the last change (conditional GET), the page cache's version, count and page
    with django_assert_num_queries(4):
        get_json(client, url, {"page_size": 100})
    make_items(95, a_category())
    page_cache.page_cache().clear()
    with django_assert_num_queries(4):
        assert len(get_json(client, url, {"page_size": 100})["results"]) == 100
    with django_assert_num_queries(2):  # from the page cache: the last change and its version
        get_json(client, url, {"page_size": 100})


def test_it_only_lists_live_items(client, people):
    make_items(1, a_category(), withdrawn_at=timezone.now())
    make_items(1, a_category(), published_at=timezone.now() + dt.timedelta(days=1))
    assert get_json(client, reverse("catalog:api_items"))["count"] == 0


def test_an_item_has_absolute_links_to_its_files_photos_and_memo(client, people, settings):
    settings.SITE_URL = "https://esa.example.go.th"
    item = make_request(people, State.PUBLISHED, photos=2).catalog_item
    data = get_json(client, reverse("catalog:api_item", args=[item.pk]))
    assert data["title"] == item.title
    assert data["url"] == "https://esa.example.go.th" + item.get_absolute_url()
    assert data["unit"]["name"] == people.unit.name
    (f,) = data["files"]
    assert f["name"] == "คำสั่ง.pdf" and f["content_type"] == "application/pdf"
    assert f["url"].startswith("https://esa.example.go.th/catalog/")
    assert client.get(f["url"].removeprefix("https://esa.example.go.th")).status_code == 200
    assert len(data["photos"]) == 2 and data["photos"][0]["thumbnail_url"].endswith("/thumb/")
    assert data["memo_url"] == f"https://esa.example.go.th/catalog/{item.pk}/memo.pdf"
    assert data["cover_thumbnail_url"]


def test_an_item_never_shows_internal_data(client, people):
    req = make_request(people, State.PUBLISHED, photos=1)
    raw = client.get(reverse("catalog:api_item", args=[req.catalog_item.pk])).content.decode()
    data = json.loads(raw)
    for secret in (
        people.requester.first_name,
        people.requester.username,
        people.webmaster.username,
        req.purpose,
    ):
        assert secret not in raw, secret
    assert not {"request", "request_id", "comments", "requester"} & data.keys()


def test_a_withdrawn_item_answers_gone_and_a_future_one_not_found(client, people):
    gone, future = make_items(2, a_category())
    CatalogItem.objects.filter(pk=gone.pk).update(
        withdrawn_at=timezone.now(), withdrawal_reason="ยกเลิก"
    )
    CatalogItem.objects.filter(pk=future.pk).update(
        published_at=timezone.now() + dt.timedelta(days=1)
    )
    data = get_json(client, reverse("catalog:api_item", args=[gone.pk]), status=410)
    assert data["withdrawal_reason"] == "ยกเลิก"
    assert "title" not in data
    get_json(client, reverse("catalog:api_item", args=[future.pk]), status=404)
    get_json(client, reverse("catalog:api_item", args=[987654]), status=404)


def test_thai_is_written_as_is(client, people):
    make_items(1, a_category(), title="ประกาศรับสมัคร")
    assert "ประกาศรับสมัคร" in client.get(reverse("catalog:api_items")).content.decode()


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_answer_405_in_json(method, people):
    from django.test import Client

    item = make_items(1, a_category())[0]
    client = Client(enforce_csrf_checks=True)  # as a real client: no CSRF token
    for url in (
        reverse("catalog:api_categories"),
        reverse("catalog:api_items"),
        reverse("catalog:api_item", args=[item.pk]),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 405, url
        assert response["Content-Type"] == "application/json"
        assert response["Allow"] == "GET, HEAD"
        assert "detail" in json.loads(response.content)


def test_unknown_api_addresses_answer_404_in_json(client):
    for url in ("/catalog/api/", "/catalog/api/nothing/", "/catalog/api/items/abc/"):
        assert get_json(client, url, status=404) == {"detail": "not found"}
