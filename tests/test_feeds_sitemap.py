"""Atom feeds, sitemap.xml and robots.txt: only live items, every address on SITE_URL."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog import feeds
from catalog.models import Category
from tests.test_catalog_pages import (
    _fresh_cache,  # noqa: F401 (autouse: empty page cache)
    a_category,
    make_items,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://esa.example.go.th"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_feed_lists_live_items_newest_first(client, people):
    category = a_category()
    newer = make_items(1, category, days_ago=1, title="ใหม่")[0]
    older = make_items(1, category, days_ago=3, title="เก่า")[0]
    make_items(1, category, title="ถอดแล้ว", withdrawn_at=timezone.now())
    make_items(1, category, title="อนาคต", published_at=timezone.now() + dt.timedelta(days=1))
    root = atom(client, reverse("catalog:feed"))
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["ใหม่", "เก่า"]
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links == [SITE + newer.get_absolute_url(), SITE + older.get_absolute_url()]
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == SITE + reverse("catalog:feed")


def test_the_feed_stops_at_fifty(client, people):
    make_items(feeds.FEED_LENGTH + 3, a_category())
    assert len(atom(client, reverse("catalog:feed")).findall(f"{ATOM}entry")) == feeds.FEED_LENGTH


def test_the_feed_costs_the_same_for_more_items(client, people, django_assert_num_queries):
    make_items(3, a_category())
    with django_assert_num_queries(3):  # the last change (conditional GET), office, items
        client.get(reverse("catalog:feed"))
    make_items(20, a_category())
    with django_assert_num_queries(3):
        client.get(reverse("catalog:feed"))


def test_a_category_feed_has_only_its_items(client, people):
    ours = make_items(1, a_category("1.8"), title="ของหมวดนี้")[0]
    make_items(1, a_category("1.3"), title="ของหมวดอื่น")
    root = atom(client, reverse("catalog:category_feed", args=[ours.category.slug]))
    assert [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")] == ["ของหมวดนี้"]
    assert client.get("/catalog/category/none-such/feed/").status_code == 404


def sitemap_locs(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_the_sitemap_lists_home_categories_and_live_items(client, people):
    category = a_category()
    live = make_items(2, category)
    gone = make_items(1, category, withdrawn_at=timezone.now())[0]
    sections = sitemap_locs(client, "/sitemap.xml")
    assert all(s.startswith(SITE + "/sitemap-") for s in sections)
    locs = []
    for section in sections:
        locs += sitemap_locs(client, section.removeprefix(SITE))
    assert SITE + "/" in locs
    assert SITE + reverse("catalog:ita", args=[2566]) in locs
    assert SITE + reverse("catalog:ita_item", args=[2566, "O43"]) in locs
    # Shipped lists still to be checked are not confirmed: neither they nor their items appear.
    assert SITE + reverse("catalog:ita", args=[2569]) not in locs
    assert SITE + reverse("catalog:ita_item", args=[2569, "O1"]) not in locs
    assert SITE + reverse("catalog:category", args=[category.slug]) in locs
    for item in live:
        assert SITE + item.get_absolute_url() in locs
    assert SITE + gone.get_absolute_url() not in locs
    inactive = Category.objects.create(name="เลิกใช้", slug="retired", is_active=False)
    assert SITE + f"/catalog/category/{inactive.slug}/" not in sitemap_locs(
        client, "/sitemap-categories.xml"
    )


def test_robots_txt_keeps_crawlers_out_of_staff_pages(client, people):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    for path in ("/admin/", "/accounts/", "/requests/", "/work/", "/publishing/"):
        assert f"Disallow: {path}\n" in text
    assert "Allow: /catalog/" in text
    assert re.search(rf"^Sitemap: {re.escape(SITE)}/sitemap.xml$", text, re.M)
