"""A NUL character in a path or query value never becomes a 500 (issue 14, item 5).

On PostgreSQL, psycopg refuses text containing NUL, so ``/catalog/category/abc%00def/`` or
``?category=%00`` on the JSON API used to give an anonymous 500. The sweep goes over every URL
pattern of the project (a NUL in each ``str`` part of the path, and in every query parameter the
views read), anonymous and signed in; run it on PostgreSQL to see the attack itself.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from requests.states import State
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"
# Every query parameter a view reads (grep request.GET): search, filters, paging, API, misc.
QUERY_NAMES = (
    "q",
    "category",
    "page",
    "page_size",
    "fiscal_year",
    "unit",
    "kind",
    "since",
    "bytes",
    "format",
    "next",
    "language",
    "year",
    "quarter",
    "start",
    "end",
)
NUL_VALUES = ("%00", "abc%00def", "1%00")


def _routes(patterns=None, prefix=""):
    """(route, converters) for every URL pattern, includes expanded; admin left out (its
    pages are Django's own and answer a signed-out visitor with the login redirect)."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue
            yield from _routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route, entry.pattern.converters


def _path(route: str, converters: dict, *, text: str) -> str:
    """A concrete path for ``route``: numbers for int parts, ``text`` for the others."""
    path = route.lstrip("^").rstrip("$")
    for name, converter in converters.items():
        value = "1" if type(converter).__name__ == "IntConverter" else text
        for form in (f"<{name}>", *(f"<{k}:{name}>" for k in ("str", "slug", "int", "path"))):
            path = path.replace(form, value)
    return "/" + path


ROUTES = sorted({_path(r, c, text="__TEXT__") for r, c in _routes()})


@pytest.fixture
def live(people):
    """Something to find at every id 1: a published item with a photo."""
    return make_request(people, State.PUBLISHED, photos=1).catalog_item


def test_the_sweep_covers_the_public_pages_and_the_api():
    assert "/catalog/category/__TEXT__/" in ROUTES
    assert "/catalog/api/items/" in ROUTES
    assert len(ROUTES) >= 30


@pytest.mark.parametrize("who", ["anonymous", "webmaster"])
def test_no_path_with_a_nul_gives_a_500(client, people, live, who):
    if who != "anonymous":
        client.force_login(getattr(people, who))
    tried = 0
    for route in ROUTES:
        if "__TEXT__" not in route:
            continue
        for value in NUL_VALUES:
            url = route.replace("__TEXT__", value)
            response = client.get(url, HTTP_USER_AGENT=BROWSER)
            assert response.status_code == 404, (url, response.status_code)
            tried += 1
    assert tried >= 10


@pytest.mark.parametrize("who", ["anonymous", "requester", "webmaster"])
def test_no_query_value_with_a_nul_gives_a_500(client, people, live, who):
    if who != "anonymous":
        client.force_login(getattr(people, who))
    for route in ROUTES:
        path = route.replace("__TEXT__", "x")
        for name in QUERY_NAMES:
            url = f"{path}?{name}=%00"
            response = client.get(url, HTTP_USER_AGENT=BROWSER)
            assert response.status_code == 400, (url, response.status_code)
        response = client.get(f"{path}?%00=1", HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 400, (path, "NUL in a name")


def test_the_reported_attacks_answer_404_and_400(client, live):
    page = client.get("/catalog/category/abc%00def/", HTTP_USER_AGENT=BROWSER)
    assert page.status_code == 404
    assert "text/html" in page["Content-Type"]

    api = client.get("/catalog/api/items/?category=%00")
    assert api.status_code == 400
    assert api["Content-Type"] == "application/json"
    assert "NUL" in json.loads(api.content)["detail"]


def test_ordinary_values_are_untouched(client, live):
    slug = live.category.slug
    assert (
        client.get(f"/catalog/category/{quote(slug)}/", HTTP_USER_AGENT=BROWSER).status_code == 200
    )
    response = client.get(f"/catalog/api/items/?category={quote(slug)}")
    assert response.status_code == 200
    assert json.loads(response.content)["results"][0]["id"] == live.pk
    assert client.get("/search/?q=วันครู", HTTP_USER_AGENT=BROWSER).status_code == 200
