"""gzip for anonymous pages and API responses, never for a response holding a secret (BREACH)."""

from __future__ import annotations

import gzip
import json

import pytest
from django.urls import reverse

from tests.test_catalog_pages import (
    BROWSER,
    _fresh_cache,  # noqa: F401 (autouse: empty page cache)
    a_category,
    make_items,
)

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br", "HTTP_USER_AGENT": BROWSER}


@pytest.fixture
def item(people):
    return make_items(1, a_category())[0]


def unpacked(response) -> bytes:
    assert response["Content-Encoding"] == "gzip"
    return gzip.decompress(response.content)


@pytest.mark.parametrize("page", ["item", "category"])
def test_cached_pages_are_sent_gzipped_when_stored_and_when_served(client, item, page):
    url = (
        item.get_absolute_url()
        if page == "item"
        else reverse("catalog:category", args=[item.category.slug])
    )
    plain = client.get(url, HTTP_USER_AGENT=BROWSER)  # stored; no Accept-Encoding: as it is
    assert "Content-Encoding" not in plain
    stored = client.get(url + "?x=1", **GZIP)  # a miss, stored, sent compressed
    assert "X-Catalog-Cache" not in stored
    hit = client.get(url, **GZIP)
    assert hit["X-Catalog-Cache"] == "hit"
    html = unpacked(hit)
    assert html == plain.content
    assert item.title.encode() in html and item.title.encode() in unpacked(stored)
    assert len(hit.content) < len(plain.content) / 2
    for response in (plain, stored, hit):
        assert "Accept-Encoding" in response["Vary"]


def test_the_json_api_is_gzipped(client, item):
    response = client.get(reverse("catalog:api_items"), **GZIP)
    assert response.status_code == 200
    data = json.loads(unpacked(response))
    assert item.title in json.dumps(data, ensure_ascii=False)


def test_the_atom_feed_is_gzipped(client, item):
    response = client.get(reverse("catalog:feed"), **GZIP)
    assert response.status_code == 200
    assert item.title.encode() in unpacked(response)


def test_a_page_with_a_csrf_token_is_never_gzipped(client, people):
    response = client.get(reverse("login"), **GZIP)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


def test_signed_in_pages_are_never_gzipped(client, people, item):
    client.force_login(people.requester)
    for url in (item.get_absolute_url(), reverse("requests:mine"), reverse("catalog:api_items")):
        response = client.get(url, **GZIP)
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url


def test_files_are_sent_as_they_are(client, item):
    f = item.files.get()
    response = client.get(reverse("catalog:download", args=[item.pk, f.pk]), **GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content).startswith(b"%PDF")
