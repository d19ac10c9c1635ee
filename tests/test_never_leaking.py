"""Nothing that is not published can be reached by a citizen: not by following links, not by
guessing addresses.

Requests are built in every workflow state (with files and photos), plus a published item
taken down, one scheduled for later and one published with a file the webmaster left out. An
anonymous visitor then crawls the public site from ``/`` (and from robots.txt, the sitemap, the
feed and the API), following every same-site link breadth first, and tries the addresses one
might guess: every request page, file, photo and memo, the catalog addresses of items that are
not live, and every stored file's name under ``/media/``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from approvals.services import request_act
from catalog import cache as page_cache
from catalog.models import CatalogFile, CatalogItem, CatalogPhoto
from catalog.publishing import plan_save
from requests.models import PublicationRequest
from requests.services import attachments_add
from requests.states import State
from tests.test_catalog_pages import (
    BROWSER,
    _fresh_cache,  # noqa: F401 (autouse: empty page cache)
)
from tests.workflow import PATHS, make_request, pdf_bytes, upload

pytestmark = pytest.mark.django_db

SITE = "https://esa.example.go.th"
CRAWL_LIMIT = 3000
LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")
ABSOLUTE = re.compile(re.escape(SITE) + r"""[^\s"'<>]*""")


def secret_title(n: int) -> str:
    return f"เรื่องภายในลำดับ Q{n:02d}Z"


def public_title() -> str:
    return "ประกาศที่เผยแพร่แล้ว P77Y"


@pytest.fixture
def world(people, settings):
    """Data in every state. Returns (live item, secrets: titles that must never be shown)."""
    settings.SITE_URL = SITE
    page_cache.page_cache().clear()
    secrets = []
    for n, state in enumerate(State.values):
        if state == State.PUBLISHED:
            continue
        secrets.append(secret_title(n))
        make_request(people, state, photos=2, title=secret_title(n))
    live_req = make_request(people, State.PUBLISHED, photos=3, title=public_title())

    future = make_request(people, State.PUBLISHED, photos=1, title=secret_title(90))
    CatalogItem.objects.filter(request=future).update(
        published_at=timezone.now() + dt.timedelta(days=3)
    )
    secrets.append(secret_title(90))

    partial = _published_leaving_a_file_out(people, title="ประกาศเผยแพร่บางไฟล์ P88Y")
    secrets.append("ไฟล์ภายในห้ามเผยแพร่.pdf")
    page_cache.page_cache().clear()
    return {
        "live": live_req.catalog_item,
        "partial": partial.catalog_item,
        "secrets": secrets,
        "not_live": list(CatalogItem.objects.exclude(pk__in=CatalogItem.objects.live())),
    }


def _published_leaving_a_file_out(people, *, title):
    """A request with two PDFs of which the webmaster publishes one."""
    req = make_request(people, State.DRAFT, title=title)
    (internal,) = attachments_add(
        req=req, user=people.requester, files=[upload("ไฟล์ภายในห้ามเผยแพร่.pdf", pdf_bytes())]
    )
    for who, action in PATHS[State.PUBLISHED]:
        if action == "webmaster.publish":
            req.refresh_from_db()
            plan_save(
                req=req,
                user=people.webmaster,
                title=title,
                summary="",
                category=req.category,
                fiscal_year=2569,
                attachment_ids=req.attachments.exclude(pk=internal.pk).values_list("pk", flat=True),
            )
        request_act(request_id=req.pk, user=getattr(people, who), action=action, comment="")
    req.refresh_from_db()
    return req


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _same_site(url: str, base: str) -> str | None:
    """``url`` as a path with query on this site, or None for other sites and static files."""
    if url.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    absolute = urljoin(base, url)
    parts = urlsplit(absolute)
    if parts.netloc not in ("testserver", urlsplit(SITE).netloc):
        return None
    if parts.path.startswith(settings.STATIC_URL):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _links(response, base: str) -> list[str]:
    kind = response.get("Content-Type", "")
    if not kind.startswith(("text/", "application/xml", "application/atom", "application/json")):
        return []
    text = response.content.decode("utf-8-sig", errors="replace")
    found = LINK.findall(text) + ABSOLUTE.findall(text)
    found = [u.replace("&amp;", "&") for u in found]
    return [p for p in (_same_site(u, SITE + base) for u in found) if p]


def crawl(client, starts) -> dict[str, object]:
    """Breadth-first over same-site links as an anonymous visitor; url -> response."""
    seen: dict[str, object] = {}
    queue = deque(starts)
    while queue and len(seen) < CRAWL_LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url, HTTP_USER_AGENT=BROWSER)
        seen[url] = response
        if response.status_code in (301, 302, 303, 307, 308):
            target = _same_site(response["Location"], SITE + url)
            if target:
                queue.append(target)
            continue
        queue.extend(link for link in _links(response, url) if link not in seen)
    assert len(seen) < CRAWL_LIMIT, "the crawl did not finish"
    return seen


def _catalog_pk(path: str) -> int | None:
    match = re.match(r"/catalog/(?:api/items/)?(\d+)/", path)
    return int(match[1]) if match else None


def _assert_not_served(response, url):
    assert response.status_code != 200, f"{url} answered 200"
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login")), url


def test_a_crawl_reaches_only_what_is_published(client, world):
    live, partial, secrets = world["live"], world["partial"], world["secrets"]
    live_pks = {live.pk, partial.pk}
    starts = ["/", "/robots.txt", "/sitemap.xml", "/catalog/feed/", "/catalog/api/items/",
              "/catalog/api/categories/"]  # fmt: skip
    seen = crawl(client, starts)

    for url, response in seen.items():
        body = _body(response).decode("utf-8", errors="replace")
        for secret in secrets:
            assert secret not in body, f"{url} shows {secret!r}"
        if response.status_code != 200:
            continue
        for prefix in ("/requests/", "/work/", "/publishing/", "/admin/", "/media/"):
            assert not url.startswith(prefix), f"{url} answered 200"
        pk = _catalog_pk(url)
        assert pk is None or pk in live_pks, f"{url} belongs to item {pk}, which is not live"

    # The crawl did find the published item, its file, its photos and its memo.
    assert seen[live.get_absolute_url()].status_code == 200
    f = live.files.get()
    download = seen[reverse("catalog:download", args=[live.pk, f.pk])]
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert quote("คำสั่ง.pdf") in download["Content-Disposition"]
    for photo in live.photos.all():
        for size in ("full", "thumb"):
            response = seen[reverse("catalog:photo", args=[live.pk, photo.pk, size])]
            assert response.status_code == 200
            assert response["Content-Type"] == "image/jpeg"
            assert response["X-Content-Type-Options"] == "nosniff"
    memo = seen[reverse("catalog:memo", args=[live.pk])]
    assert memo.status_code == 200 and memo["Content-Type"] == "application/pdf"
    # The item published with one of its two files offers that one only.
    assert [f.original_name for f in partial.files.all()] == ["คำสั่ง.pdf"]
    assert seen[partial.get_absolute_url()].status_code == 200


def test_guessed_addresses_are_closed(client, world):
    """One world, four kinds of guesses (building the world takes a few seconds)."""
    _request_addresses_are_closed(client)
    _catalog_addresses_of_items_not_live_are_closed(client, world)
    _files_of_other_items_cannot_be_borrowed(client, world)
    _stored_files_are_never_served_from_media(client)


def _request_addresses_are_closed(client):
    for req in PublicationRequest.objects.prefetch_related("attachments", "photos"):
        urls = [f"/requests/{req.pk}/", f"/requests/{req.pk}/memo.pdf"]
        urls += [f"/requests/{req.pk}/files/{a.pk}/" for a in req.attachments.all()]
        urls += [f"/requests/{req.pk}/files/{a.pk}/thumb/" for a in req.attachments.all()]
        for photo in req.photos.all():
            urls += [f"/requests/{req.pk}/photos/{photo.pk}/{s}/" for s in ("full", "thumb")]
        for url in urls:
            _assert_not_served(client.get(url, HTTP_USER_AGENT=BROWSER), url)


def _catalog_addresses_of_items_not_live_are_closed(client, world):
    assert len(world["not_live"]) == 2  # the withdrawn one and the scheduled one
    for item in world["not_live"]:
        urls = [
            item.get_absolute_url(),
            f"/catalog/{item.pk}/x/",
            f"/catalog/{item.pk}/memo.pdf",
            f"/catalog/api/items/{item.pk}/",
        ]
        urls += [f"/catalog/{item.pk}/files/{f.pk}/" for f in item.files.all()]
        for photo in item.photos.all():
            sizes = ("full", "thumb", "list", "list2x")
            urls += [f"/catalog/{item.pk}/photos/{photo.pk}/{s}/" for s in sizes]
        for url in urls:
            response = client.get(url, HTTP_USER_AGENT=BROWSER)
            _assert_not_served(response, url)
            for secret in world["secrets"]:
                assert secret.encode() not in _body(response), url


def _files_of_other_items_cannot_be_borrowed(client, world):
    """Every file and photo id tried under the live items' addresses: only their own answer."""
    last_file = CatalogFile.objects.order_by("-pk").values_list("pk", flat=True).first()
    last_photo = CatalogPhoto.objects.order_by("-pk").values_list("pk", flat=True).first()
    for item in (world["live"], world["partial"]):
        own_files = set(item.files.values_list("pk", flat=True))
        own_photos = set(item.photos.values_list("pk", flat=True))
        for pk in range(1, last_file + 3):
            status = client.get(f"/catalog/{item.pk}/files/{pk}/").status_code
            assert (status == 200) == (pk in own_files), (item.pk, pk)
        for pk in range(1, last_photo + 3):
            status = client.get(f"/catalog/{item.pk}/photos/{pk}/full/").status_code
            assert (status == 200) == (pk in own_photos), (item.pk, pk)


def _stored_files_are_never_served_from_media(client):
    root = Path(settings.MEDIA_ROOT)
    names = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    assert len(names) > 20
    for name in names:
        url = settings.MEDIA_URL + name
        _assert_not_served(client.get(url, HTTP_USER_AGENT=BROWSER), url)
