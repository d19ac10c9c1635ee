"""What browsers, crawlers and link previews read from the public pages: valid <time datetime>
values, a favicon, canonical links and Open Graph cards, a meta description, robots.txt in an
order every parser reads the same, and Thai content marked as Thai on English pages."""

from __future__ import annotations

import re
import urllib.robotparser

import pytest
from django.urls import reverse

from tests.test_catalog_pages import _fresh_cache, a_category, get, make_items  # noqa: F401

pytestmark = pytest.mark.django_db

#: HTML's valid date-time strings: seconds optional, at most three digits of a fraction.
VALID_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)$")


def test_time_elements_carry_valid_html_datetimes(client, people):
    category = a_category()
    (item,) = make_items(1, category)
    assert item.published_at.microsecond  # as when published through the app
    for url in ("/", reverse("catalog:category", args=[category.slug]), item.get_absolute_url()):
        html = get(client, url).content.decode()
        values = re.findall(r'<time datetime="([^"]+)"', html)
        assert values, url
        for value in values:
            assert VALID_DATETIME.match(value), (url, value)


def test_public_pages_have_a_canonical_link_open_graph_and_a_description(client, people, settings):
    settings.SITE_URL = "https://esa.example.go.th"
    category = a_category()
    make_items(1, category)
    for path in (
        "/",
        reverse("catalog:category", args=[category.slug]),
        reverse("catalog:ita", args=[2569]),
    ):
        html = get(client, path + "?utm_source=line").content.decode()
        assert f'<link rel="canonical" href="https://esa.example.go.th{path}">' in html, path
        assert f'<meta property="og:url" content="https://esa.example.go.th{path}">' in html
        for name in ('property="og:title"', 'property="og:description"', 'name="description"'):
            assert re.search(rf'<meta {name} content="[^"]+">', html), (path, name)


def test_the_favicon_is_served_from_static_files(client):
    html = get(client, "/").content.decode()
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg" type="image/svg\+xml">', html)
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.ico")


def test_robots_txt_reads_the_same_to_first_match_and_longest_match_parsers(client):
    text = client.get("/robots.txt").content.decode()
    lines = [line for line in text.splitlines() if line.startswith(("Allow", "Disallow"))]
    assert lines[-1] == "Allow: /", "every Disallow comes before the catch-all Allow"
    parser = urllib.robotparser.RobotFileParser()  # Python's is a first-match parser
    parser.parse(text.splitlines())
    for path, allowed in (
        ("/", True),
        ("/catalog/1/x/", True),
        ("/requests/1/", False),
        ("/admin/", False),
    ):
        assert parser.can_fetch("AnyBot", path) is allowed, path


def test_thai_content_is_marked_thai_on_english_pages(client, people):
    category = a_category()
    (item,) = make_items(1, category)
    client.cookies["django_language"] = "en"
    html = get(client, item.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert f'<h1 lang="th">{item.title}</h1>' in html
    listing = get(client, reverse("catalog:category", args=[category.slug])).content.decode()
    assert f'lang="th">{item.title}</a>' in listing
