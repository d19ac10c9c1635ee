"""The public catalog pages: home, category, item, downloads, the page cache and the language
switch, as an anonymous citizen sees them."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from catalog import cache as page_cache
from catalog import selectors, slot_images
from catalog.models import CatalogFile, CatalogItem, CatalogPhoto, Category
from catalog.views import human_size
from esa_publish.thai.digits import to_thai_digits
from requests.states import State
from tests.workflow import jpeg_bytes, make_request, pdf_bytes

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty page cache (the in-memory cache outlives a test)."""
    page_cache.page_cache().clear()
    yield
    page_cache.page_cache().clear()


@pytest.fixture
def published(people):
    """A request published through the real workflow: one PDF, three photos, a memo."""
    return make_request(people, State.PUBLISHED, photos=3).catalog_item


# --- helpers (also used by the API, feed and leak tests) ----------------------------------------


def make_items(count: int, category: Category, *, unit=None, days_ago: int = 1, **fields):
    """``count`` live items in ``category``, each with a stored PDF and a cover photo, made
    directly (the workflow is too slow for lists of dozens)."""
    now = timezone.now()
    pdf = default_storage.save("test/doc.pdf", ContentFile(pdf_bytes()))
    jpg = default_storage.save("test/photo.jpg", ContentFile(jpeg_bytes()))
    items = []
    for n in range(count):
        values = {
            "title": f"รายการทดสอบ {n}",
            "slug": f"รายการทดสอบ-{n}",
            "summary": "สรุป",
            "category": category,
            "fiscal_year": 2569,
            "unit": unit,
            "unit_name": unit.name if unit else "",
            "published_at": now - dt.timedelta(days=days_ago, minutes=n),
            "file_kinds": ["pdf", "photo"],
        } | fields
        item = CatalogItem.objects.create(**values)
        CatalogFile.objects.create(
            item=item,
            file=pdf,
            original_name=f"เอกสาร {n}.pdf",
            kind="pdf",
            content_type="application/pdf",
            size=1234,
            sha256="0" * 64,
        )
        CatalogPhoto.objects.create(item=item, image=jpg, thumbnail=jpg, is_cover=True)
        items.append(item)
    return items


def a_category(code: str = "1.8") -> Category:
    return Category.objects.get(code=code)


def get(client, url, **extra):
    return client.get(url, HTTP_USER_AGENT=BROWSER, **extra)


# --- home ---------------------------------------------------------------------------------------


def test_it_shows_the_latest_items_with_their_covers(client, people, published):
    response = get(client, "/")
    html = response.content.decode()
    assert response.status_code == 200
    assert published.title in html
    cover = published.photos.get(is_cover=True)
    assert reverse("catalog:photo", args=[published.pk, cover.pk, "list"]) in html


def test_the_home_page_counts_live_items_per_category(client, people, published):
    category = published.category
    make_items(2, category)
    make_items(1, category, withdrawn_at=timezone.now())
    make_items(1, category, published_at=timezone.now() + dt.timedelta(days=2))
    counts = {c.pk: c.live_count for c in selectors.categories_with_counts()}
    assert counts[category.pk] == 3
    assert sum(counts.values()) == 3
    html = get(client, "/").content.decode()
    assert reverse("catalog:category", args=[category.slug]) in html


def test_the_category_counts_are_one_query(django_assert_num_queries, people):
    make_items(3, a_category("1.8"))
    make_items(2, a_category("1.3"))
    with django_assert_num_queries(1):
        list(selectors.categories_with_counts())


def test_the_home_page_links_this_years_ita_evidence(client, people):
    from esa_publish.thai.fiscal import fiscal_year

    year = fiscal_year(timezone.localdate())
    html = get(client, "/").content.decode()
    assert reverse("catalog:ita", args=[year]) in html


def test_the_home_page_costs_the_same_with_more_items(client, people, django_assert_num_queries):
    category = a_category()
    make_items(2, category)
    page_cache.page_cache().clear()
    # The page cache's version (read on every page in tests, once a second in production)
    # and the page itself; the office, kept per version, read once more with the version.
    with django_assert_num_queries(5) as small:
        get(client, "/")
    make_items(20, category)
    page_cache.page_cache().clear()
    with django_assert_num_queries(len(small.captured_queries)):
        get(client, "/")


def test_the_search_box_appears_only_when_search_exists(client, people):
    from django.urls import NoReverseMatch

    html = get(client, "/").content.decode()
    try:
        url = reverse("search:results")
    except NoReverseMatch:
        assert 'role="search"' not in html
    else:
        assert f'action="{url}"' in html


# --- category page ------------------------------------------------------------------------------


def test_the_category_page_lists_live_items_newest_first(client, people):
    category = a_category()
    older = make_items(1, category, days_ago=5, title="เก่ากว่า")[0]
    newer = make_items(1, category, days_ago=1, title="ใหม่กว่า")[0]
    make_items(1, category, title="ถอดออกแล้ว", withdrawn_at=timezone.now())
    make_items(1, category, title="ยังไม่ถึงเวลา", published_at=timezone.now() + dt.timedelta(1))
    html = get(client, reverse("catalog:category", args=[category.slug])).content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert "ถอดออกแล้ว" not in html
    assert "ยังไม่ถึงเวลา" not in html


def test_the_category_page_is_paginated_by_twenty(client, people):
    category = a_category()
    make_items(25, category)
    url = reverse("catalog:category", args=[category.slug])
    first = get(client, url)
    assert len(first.context["page"].object_list) == 20
    second = get(client, url + "?page=2&fiscal_year=2569")
    assert len(second.context["page"].object_list) == 5
    # Newest first across pages: page 2 holds the five oldest, in order.
    assert [row.title for row in second.context["page"].object_list] == [
        f"รายการทดสอบ {n}" for n in range(20, 25)
    ]
    # The previous-page link keeps the filter.
    assert "fiscal_year=2569" in re.search(r'href="([^"]*)" rel="prev"', second.content.decode())[1]


def test_the_category_page_costs_the_same_for_5_and_20_items(
    client, people, django_assert_num_queries
):
    category = a_category()
    url = reverse("catalog:category", args=[category.slug])
    make_items(5, category, unit=people.unit)
    # The page: category, summary (the count and the filter menus' choices in one GROUP BY),
    # items, units, office; the cache's versions for the page, and for the category, summary,
    # rows, menus, units and office kept under them (read once a second in production, every
    # time in tests). Narrowed by file kind, the count is one more query.
    for query, expected in (("", 12), ("?kind=pdf", 14)):
        page_cache.page_cache().clear()
        with django_assert_num_queries(expected):
            get(client, url + query)
    make_items(15, category, unit=people.other_unit)
    for query, expected in (("", 12), ("?kind=pdf", 14)):
        page_cache.page_cache().clear()  # the page, its count and its menus
        with django_assert_num_queries(expected):
            response = get(client, url + query)
        assert len(response.context["page"].object_list) == 20


def test_the_category_page_filters_by_year_unit_and_kind(client, people):
    category = a_category()
    ours = make_items(1, category, unit=people.unit, title="ของกลุ่มเรา")[0]
    theirs = make_items(1, category, unit=people.other_unit, title="ของกลุ่มอื่น")[0]
    old = make_items(1, category, title="ปีก่อน", fiscal_year=2568)[0]
    theirs.photos.all().delete()
    url = reverse("catalog:category", args=[category.slug])

    def titles(query):
        return {i.title for i in get(client, url + query).context["page"].object_list}

    assert titles(f"?unit={people.unit.pk}") == {ours.title}
    assert titles("?fiscal_year=2568") == {old.title}
    assert titles("?kind=photo") == {ours.title, old.title}
    assert titles("?kind=docx") == set()
    assert titles("?fiscal_year=abc&unit=-1&kind=exe") == {ours.title, theirs.title, old.title}


def test_the_count_from_the_category_summary_is_the_count_of_the_list(people):
    """The count beside the list comes from one GROUP BY by year and unit; whatever the year and
    unit chosen, it must be what counting the list itself gives."""
    category = a_category()
    make_items(3, category, unit=people.unit, fiscal_year=2569)
    make_items(2, category, unit=people.other_unit, fiscal_year=2568)
    make_items(1, category, fiscal_year=2568)  # no unit
    gone = make_items(1, category, unit=people.unit, fiscal_year=2569)[0]
    gone.withdrawn_at = timezone.now()
    gone.save()
    make_items(1, a_category("1.1"), unit=people.unit, fiscal_year=2569)  # another category
    summary = selectors.category_summary(category)
    for year in (None, 2569, 2568, 2560):
        for unit in (None, people.unit.pk, people.other_unit.pk):
            filters = selectors.ItemFilters(fiscal_year=year, unit_id=unit)
            assert summary.count(filters) == selectors.category_items(category, filters).count()
    assert summary.count(selectors.ItemFilters()) == 6
    assert summary.count(selectors.ItemFilters(kind="pdf")) is None  # counted by the list
    assert summary.years == [2569, 2568]
    assert summary.unit_ids == {people.unit.pk, people.other_unit.pk}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
def test_the_category_summary_reads_the_live_index_alone_on_sqlite(people):
    """SQLite takes a partial index as covering only if it holds the condition's column too;
    without withdrawn_at in it, grouping a category read every item row (3.6 ms against 0.2 ms
    for 1,769 items)."""
    category = a_category()
    make_items(2, category, unit=people.unit)
    with CaptureQueriesContext(connection) as captured:
        selectors.category_summary(category)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + captured.captured_queries[-1]["sql"])
        plan = " ".join(row[-1] for row in cursor.fetchall())
    assert "USING COVERING INDEX item_live_category" in plan, plan


def test_filter_menu_options_are_escaped_and_the_chosen_one_selected():
    from catalog.templatetags.catalog_menus import options

    html = options([(1, 'กลุ่ม <b>"ก"</b> & ข'), (2, "กลุ่มสอง")], 2)
    assert html == (
        '<option value="1">กลุ่ม &lt;b&gt;&quot;ก&quot;&lt;/b&gt; &amp; ข</option>'
        '<option value="2" selected>กลุ่มสอง</option>'
    )
    assert "selected" not in options([(2569, 2569)], None)


def test_the_category_page_offers_only_years_and_units_with_items(client, people):
    category = a_category()
    make_items(1, category, unit=people.unit, fiscal_year=2567)
    response = get(client, reverse("catalog:category", args=[category.slug]))
    menus = response.context["filter_form"]
    assert re.findall(r'<option value="(\d+)">\d+</option>', menus.split('name="unit"')[0]) == [
        "2567"
    ]
    assert re.findall(
        r'<option value="(\d+)">', menus.split('name="unit"')[1].split("</select>")[0]
    ) == [str(people.unit.pk)]


def test_an_unknown_category_is_not_found(client, people):
    assert get(client, "/catalog/category/no-such-thing/").status_code == 404


# --- item page ----------------------------------------------------------------------------------


def test_the_item_page_shows_everything_public(client, people, published):
    response = get(client, published.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert published.title in html
    assert "มกราคม" in html or "25" in html  # a B.E. date is printed
    assert to_thai_digits(timezone.localtime(published.published_at).year + 543) in html
    assert published.unit_name in html
    assert "คำสั่ง.pdf" in html
    f = published.files.get()
    assert reverse("catalog:download", args=[published.pk, f.pk]) in html
    assert f"PDF · {human_size(f.size)}" in html
    for photo in published.photos.all():
        assert reverse("catalog:photo", args=[published.pk, photo.pk, "full"]) in html
        assert photo.caption in html
    assert reverse("catalog:memo", args=[published.pk]) in html
    # A same-origin script needs no nonce ('self' allows it), and a page without one can be
    # served from the page cache to every visitor.
    assert "js/gallery.js" in html and 'nonce="' not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_item_page_has_open_graph_tags_with_absolute_urls(client, people, published, settings):
    settings.SITE_URL = "https://esa.example.go.th"
    html = get(client, published.get_absolute_url()).content.decode()
    share_image = reverse("outreach:share_image", args=[published.pk])

    def og(name):
        return re.search(rf'<meta property="og:{name}" content="([^"]*)"', html)[1]

    assert og("type") == "article"
    assert og("title") == published.title
    # The share image (title on the office's colours with the cover), tests/test_outreach.py.
    assert og("image") == f"https://esa.example.go.th{share_image}"
    assert og("url") == "https://esa.example.go.th" + published.get_absolute_url()
    assert og("description")


def test_a_wrong_slug_redirects_for_good(client, people, published):
    response = get(client, f"/catalog/{published.pk}/old-title/")
    assert response.status_code == 301
    assert response["Location"] == published.get_absolute_url()


def test_an_item_without_a_slug_has_a_stable_address(client, people):
    item = make_items(1, a_category(), slug="")[0]
    assert item.get_absolute_url() == f"/catalog/{item.pk}/-/"
    assert get(client, item.get_absolute_url()).status_code == 200


def test_a_withdrawn_item_is_gone_with_date_reason_and_replacement(client, people, published):
    replacement = make_items(1, published.category, title="ฉบับแก้ไขใหม่")[0]
    published.withdrawn_at = timezone.make_aware(dt.datetime(2026, 3, 15, 10, 0))
    published.withdrawal_reason = "ข้อมูลคลาดเคลื่อน"
    published.replaced_by = replacement
    published.save()
    response = get(client, published.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 410
    assert "ถอดออกจากการเผยแพร่เมื่อ ๑๕ มีนาคม ๒๕๖๙" in html
    assert "ข้อมูลคลาดเคลื่อน" in html
    assert replacement.get_absolute_url() in html
    assert published.title not in html
    # and the old slug does not redirect to a page that no longer exists
    assert get(client, f"/catalog/{published.pk}/x/").status_code == 410


def test_an_item_not_yet_published_is_not_found(client, people, published):
    CatalogItem.objects.filter(pk=published.pk).update(
        published_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert get(client, published.get_absolute_url()).status_code == 404
    assert get(client, "/catalog/999999/x/").status_code == 404


def test_the_item_page_links_what_it_replaces_and_what_replaced_it(client, people):
    category = a_category()
    old, new = make_items(2, category)
    old.replaced_by = new
    old.save()
    old_html = get(client, old.get_absolute_url()).content.decode()
    new_html = get(client, new.get_absolute_url()).content.decode()
    assert "รายการนี้มีฉบับแก้ไขแล้ว" in old_html and new.get_absolute_url() in old_html
    assert "รายการนี้แก้ไขแทน" in new_html and old.get_absolute_url() in new_html


def test_the_memo_is_hidden_when_the_office_keeps_it_private(client, people, published):
    CatalogItem.objects.filter(pk=published.pk).update(memo_is_public=False)
    html = get(client, published.get_absolute_url()).content.decode()
    assert reverse("catalog:memo", args=[published.pk]) not in html
    assert get(client, reverse("catalog:memo", args=[published.pk])).status_code == 404


def real_queries(context) -> list[str]:
    """The statements of a CaptureQueriesContext without the savepoints that only appear
    because a test runs inside a transaction."""
    return [
        q["sql"]
        for q in context.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_the_item_page_costs_the_same_with_more_files_and_photos(client, people):
    item = make_items(1, a_category())[0]
    with CaptureQueriesContext(connection) as first:
        get(client, item.get_absolute_url())
    # page version, item, files, photos, ITA items, replaced items, office (kept per version,
    # so the version once more: once a second in production); no counter write
    assert len(real_queries(first)) == 8
    for n in range(5):
        CatalogPhoto.objects.create(
            item=item, image="x.jpg", thumbnail="x.jpg", width=4, height=3, order=n + 1
        )
        CatalogFile.objects.create(
            item=item, file="x.pdf", original_name="x.pdf", kind="pdf",
            content_type="application/pdf", size=1, sha256="0" * 64,
        )  # fmt: skip
    page_cache.page_cache().clear()  # rendered again, not served from the cache
    with CaptureQueriesContext(connection) as later:
        get(client, item.get_absolute_url())
    assert len(real_queries(later)) == 8


def test_human_sizes_read_like_people_write_them():
    assert human_size(850) == "850 B"
    assert human_size(12 * 1024) == "12 KB"
    assert human_size(1_250_000) == "1.2 MB"
    assert human_size(3 * 1024**3) == "3.0 GB"


# --- downloads ----------------------------------------------------------------------------------


def test_a_file_downloads_under_its_original_name(client, people, published):
    f = published.files.get()
    response = get(client, reverse("catalog:download", args=[published.pk, f.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert quote("คำสั่ง.pdf") in response["Content-Disposition"]
    assert "public" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_photos_are_served_inline_as_images(client, people, published):
    photo = published.photos.first()
    for size in ("full", "thumb"):
        response = get(client, reverse("catalog:photo", args=[published.pk, photo.pk, size]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"].startswith("inline;")
        assert response["X-Content-Type-Options"] == "nosniff"
    assert get(client, f"/catalog/{published.pk}/photos/{photo.pk}/huge/").status_code == 404


def test_list_rows_get_a_cover_the_size_of_their_slot(client, people, published):
    """The home, category and search lists send a 102x77 picture (204x153 for 2x screens), made
    from the stored thumbnail with Pillow and kept, not the 400 px gallery thumbnail."""
    photo = published.photos.get(is_cover=True)
    default_storage.delete(photo.thumbnail.name)
    default_storage.save(photo.thumbnail.name, ContentFile(jpeg_bytes((400, 250))))
    html = get(client, reverse("catalog:category", args=[published.category.slug])).content
    small = reverse("catalog:photo", args=[published.pk, photo.pk, "list"])
    large = reverse("catalog:photo", args=[published.pk, photo.pk, "list2x"])
    assert f'srcset="{small} 102w, {large} 204w" sizes="102px"'.encode() in html
    assert b'width="102" height="77"' in html
    for url, size in ((small, (102, 77)), (large, (204, 153))):
        response = get(client, url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        picture = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert (picture.format, picture.size) == ("JPEG", size)
    stored = slot_images.slot_name(photo.thumbnail.name, "list")
    made_at = default_storage.get_modified_time(stored)
    get(client, small)  # served from storage from now on, not made again
    assert default_storage.get_modified_time(stored) == made_at
    assert get(client, reverse("home")).content.count(b"102w, ") >= 1
    CatalogItem.objects.filter(pk=published.pk).update(withdrawn_at=timezone.now())
    assert get(client, small).status_code == 404


def test_the_memo_downloads_as_a_pdf(client, people, published):
    response = get(client, reverse("catalog:memo", args=[published.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_files_stop_being_served_when_the_item_is_withdrawn(client, people, published):
    f = published.files.get()
    photo = published.photos.first()
    CatalogItem.objects.filter(pk=published.pk).update(withdrawn_at=timezone.now())
    urls = [
        reverse("catalog:download", args=[published.pk, f.pk]),
        reverse("catalog:photo", args=[published.pk, photo.pk, "full"]),
        reverse("catalog:photo", args=[published.pk, photo.pk, "thumb"]),
        reverse("catalog:memo", args=[published.pk]),
    ]
    for url in urls:
        assert get(client, url).status_code == 404, url


def test_a_file_of_another_item_is_not_found(client, people, published):
    other = make_items(1, a_category())[0]
    f = other.files.get()
    assert get(client, reverse("catalog:download", args=[published.pk, f.pk])).status_code == 404


# --- the page cache ---------------------------------------------------------------------------


def test_anonymous_pages_are_served_from_the_cache(client, people):
    category = a_category()
    make_items(1, category)
    url = reverse("catalog:category", args=[category.slug])
    first = get(client, url)
    second = get(client, url)
    assert "X-Catalog-Cache" not in first
    assert second["X-Catalog-Cache"] == "hit"
    assert second.content == first.content


def test_cached_pages_hold_no_token_or_nonce(client, people):
    get(client, "/")
    html = get(client, "/").content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert "nonce=" not in html


def test_signed_in_staff_get_a_fresh_page(client, people):
    client.force_login(people.requester)
    get(client, "/")
    response = get(client, "/")
    assert "X-Catalog-Cache" not in response
    assert "ออกจากระบบ" in response.content.decode()


def test_publishing_makes_cached_pages_stale(
    client, people, published, django_capture_on_commit_callbacks
):
    get(client, "/")
    assert get(client, "/")["X-Catalog-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        make_request(people, State.PUBLISHED, title="ข่าวใหม่ล่าสุดของวันนี้")
    response = get(client, "/")
    assert "X-Catalog-Cache" not in response
    assert "ข่าวใหม่ล่าสุดของวันนี้" in response.content.decode()


def test_a_change_drops_cached_pages_even_before_it_commits(client, people, published):
    """The version also goes up inside the transaction (tests never commit)."""
    get(client, "/")
    make_request(people, State.PUBLISHED, title="ประกาศที่เพิ่งเผยแพร่")
    assert "ประกาศที่เพิ่งเผยแพร่" in get(client, "/").content.decode()


def test_a_takedown_leaves_every_list_page_at_once_whatever_its_address(
    client, people, published, django_capture_on_commit_callbacks
):
    """The category's rows, count and menus are kept per catalog version, so addresses that
    defeat the page cache (?b=…) are still served from what is kept; a takedown through the
    webmaster's page raises the version, and the next address of any page no longer lists it."""
    from django.test import Client

    make_items(25, published.category)  # two pages; the published item is the newest
    url = reverse("catalog:category", args=[published.category.slug])
    assert published.title in get(client, url + "?b=1").content.decode()
    assert "๒๖ รายการ" in get(client, url + "?page=2&b=2").content.decode()
    webmaster = Client()
    webmaster.force_login(people.webmaster)
    takedown = reverse("publishing:takedown", args=[published.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert webmaster.post(takedown, {"reason": "ข้อมูลส่วนบุคคล"}).status_code == 302
    for n, address in enumerate((url, url + "?page=2", url + "?fiscal_year=2569", "/")):
        html = get(client, f"{address}{'&' if '?' in address else '?'}b={n + 3}").content.decode()
        assert published.title not in html, address
    assert "๒๕ รายการ" in get(client, url + "?page=2&b=9").content.decode()


def test_a_takedown_in_another_worker_reaches_this_workers_cached_pages(client, people, published):
    """Each gunicorn worker has its own in-memory cache; the version they share is in the
    database. Another worker's takedown is that row going up, without touching our cache."""
    from django.db.models import F

    from catalog.models import PageVersion

    assert published.title in get(client, "/").content.decode()
    assert get(client, "/")["X-Catalog-Cache"] == "hit"
    # What the other worker does: the item goes, and the shared version goes up.
    CatalogItem.objects.filter(pk=published.pk).update(withdrawn_at=timezone.now())
    if not PageVersion.objects.filter(pk=1).update(value=F("value") + 1):
        PageVersion.objects.create(pk=1, value=2)
    response = get(client, "/")
    assert "X-Catalog-Cache" not in response
    assert published.title not in response.content.decode()


def test_each_worker_reads_the_shared_version_at_most_once_a_second(
    client, people, published, settings, monkeypatch, django_assert_num_queries
):
    from django.db.models import F

    from catalog.models import PageVersion

    settings.CATALOG_VERSION_SECONDS = 1.0
    clock = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock[0])
    get(client, "/")
    with django_assert_num_queries(0):  # from the cache, the version remembered
        assert get(client, "/")["X-Catalog-Cache"] == "hit"
    # Another worker takes the item down; this one notices within the second.
    CatalogItem.objects.filter(pk=published.pk).update(withdrawn_at=timezone.now())
    if not PageVersion.objects.filter(pk=1).update(value=F("value") + 1):
        PageVersion.objects.create(pk=1, value=2)
    clock[0] += 0.5
    assert get(client, "/")["X-Catalog-Cache"] == "hit"
    clock[0] += 0.6
    response = get(client, "/")
    assert "X-Catalog-Cache" not in response
    assert published.title not in response.content.decode()


def test_taking_an_item_down_moves_the_shared_version(people):
    from approvals.services import request_act
    from catalog.models import PageVersion

    req = make_request(people, State.PUBLISHED)
    before = page_cache.current_version()
    request_act(
        request_id=req.pk, user=people.webmaster, action="webmaster.unpublish", comment="ผิด"
    )
    # Once in the transaction; once more after the commit (which tests do not reach).
    assert page_cache.current_version() == before + 1
    assert PageVersion.objects.get(pk=1).value == before + 1


def test_a_publication_keeps_what_only_a_setup_edit_changes(client, people):
    """After a publication the category page is built again with the new item, but the category
    itself, the units' names and the office are not looked up again: they are kept under the
    setup version, which publications leave alone."""
    from catalog.signals import item_changed

    category = a_category()
    url = reverse("catalog:category", args=[category.slug])
    make_items(2, category, unit=people.unit)
    get(client, url)
    setup = page_cache.current_version(page_cache.SETUP)
    new = make_items(1, category, unit=people.other_unit, days_ago=0, title="เพิ่งเผยแพร่")[0]
    item_changed.send(sender=CatalogItem, item=new)  # what publishing it does
    assert page_cache.current_version(page_cache.SETUP) == setup
    with CaptureQueriesContext(connection) as queries:
        html = get(client, url).content.decode()
    assert "เพิ่งเผยแพร่" in html and people.other_unit.name in html
    read = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("catalog_category", "office_unit", "office_office"):
        assert f'FROM "{table}"' not in read, table
    assert 'FROM "catalog_catalogitem"' in read


@pytest.mark.parametrize("edit", ["category", "unit", "office"])
def test_a_setup_edit_reaches_every_kept_menu_and_name_at_once(client, people, office, edit):
    from esa_publish.office.models import Office

    category = a_category()
    make_items(2, category, unit=people.unit)
    pages = (reverse("catalog:category", args=[category.slug]), "/search/?q=รายการทดสอบ")
    for page in pages:  # everything kept, and the pages themselves cached
        get(client, page)
    if edit == "category":
        category.name = "หมวดที่ตั้งชื่อใหม่"
        category.save()
        expected = "หมวดที่ตั้งชื่อใหม่"
    elif edit == "unit":
        people.unit.name = "กลุ่มที่ตั้งชื่อใหม่"
        people.unit.save()
        expected = "กลุ่มที่ตั้งชื่อใหม่"
    else:
        current = Office.current()
        current.name_th = "สำนักงานที่ตั้งชื่อใหม่"
        current.save()
        expected = "สำนักงานที่ตั้งชื่อใหม่"
    for page in pages:
        assert expected in get(client, page).content.decode(), page


def test_item_pages_are_served_from_the_page_cache(client, people, published):
    first = get(client, published.get_absolute_url())
    second = get(client, published.get_absolute_url())
    assert "X-Catalog-Cache" not in first
    assert second["X-Catalog-Cache"] == "hit"
    assert second.content == first.content
    assert published.title in second.content.decode()


def test_a_takedown_is_visible_at_once_on_the_cached_item_page(client, people):
    from approvals.services import request_act

    req = make_request(people, State.PUBLISHED, photos=1)
    url = req.catalog_item.get_absolute_url()
    get(client, url)
    assert get(client, url)["X-Catalog-Cache"] == "hit"
    request_act(
        request_id=req.pk, user=people.webmaster, action="webmaster.unpublish", comment="ผิด"
    )
    response = get(client, url)
    assert response.status_code == 410
    assert "X-Catalog-Cache" not in response
    assert req.catalog_item.title not in response.content.decode()


def test_a_takedown_elsewhere_reaches_the_cached_item_page_within_the_bound(
    client, people, published, settings, monkeypatch
):
    """Another worker's takedown: the shared version moves, this worker sees it within
    CATALOG_VERSION_SECONDS, as its category pages do."""
    from django.db.models import F

    from catalog.models import PageVersion

    settings.CATALOG_VERSION_SECONDS = 1.0
    clock = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock[0])
    url = published.get_absolute_url()
    get(client, url)
    CatalogItem.objects.filter(pk=published.pk).update(withdrawn_at=timezone.now())
    if not PageVersion.objects.filter(pk=1).update(value=F("value") + 1):
        PageVersion.objects.create(pk=1, value=2)
    clock[0] += 1.1
    assert get(client, url).status_code == 410


def test_a_categorys_count_and_menus_are_kept_until_the_catalog_changes(client, people):
    category = a_category()
    make_items(3, category, unit=people.unit)
    url = reverse("catalog:category", args=[category.slug])
    first = get(client, url + "?b=1")
    assert first.context["page"].paginator.count == 3
    with CaptureQueriesContext(connection) as queries:
        second = get(client, url + "?b=2")  # another address: rendered, not from the cache
    assert "X-Catalog-Cache" not in second
    assert not any("COUNT(" in sql or "DISTINCT" in sql for sql in real_queries(queries))
    assert second.context["filter_form"] == first.context["filter_form"]
    make_items(1, category, unit=people.other_unit)
    page_cache.bump_version()  # what publishing the item does
    third = get(client, url + "?b=3")
    assert third.context["page"].paginator.count == 4
    assert f'<option value="{people.other_unit.pk}">' in third.context["filter_form"]


def test_list_rows_are_rendered_once_and_never_stale(client, people, monkeypatch):
    """Rows of the lists are remembered by every value they show: a rendered row is reused on
    the next page, and a changed title is a new row, with no forgetting on a change."""
    from django.template import loader

    from catalog.templatetags import catalog_links

    category = a_category()
    item = make_items(2, category)[0]
    url = reverse("catalog:category", args=[category.slug])
    rendered = []
    real = loader.get_template

    def counting(name, *args, **kwargs):
        if name == catalog_links.ROW_TEMPLATE:
            rendered.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(catalog_links, "get_template", counting)
    catalog_links.forget_rows()
    get(client, url + "?b=1")
    assert len(rendered) == 2
    get(client, url + "?b=2")  # another address: the page is rendered, its rows are not
    assert len(rendered) == 2
    CatalogItem.objects.filter(pk=item.pk).update(title="ชื่อใหม่หลังแก้ไข")
    page_cache.bump_version()  # what the correction's publication does (item_changed)
    html = get(client, url + "?b=3").content.decode()
    assert "ชื่อใหม่หลังแก้ไข" in html and len(rendered) == 3
    client.cookies["django_language"] = "en"
    get(client, url + "?b=4")  # English dates: rows of their own
    assert len(rendered) == 5


def test_each_language_has_its_own_cached_page(client, people):
    get(client, "/")
    client.cookies["django_language"] = "en"
    response = get(client, "/")
    assert "X-Catalog-Cache" not in response
    assert '<html lang="en">' in response.content.decode()


# --- the language switch ------------------------------------------------------------------------


def test_the_language_switch_sets_the_cookie_and_goes_back(client, people):
    response = client.get(reverse("language"), {"language": "en", "next": "/catalog/ita/2569/"})
    assert response.status_code == 302
    assert response["Location"] == "/catalog/ita/2569/"
    assert response.cookies["django_language"].value == "en"


def test_the_language_switch_never_leaves_the_site(client, people):
    response = client.get(reverse("language"), {"language": "en", "next": "https://evil.test/"})
    assert response["Location"] == "/"
    response = client.get(reverse("language"), {"language": "xx", "next": "/"})
    assert "django_language" not in response.cookies


def test_the_language_switch_is_a_plain_get_form(client, people):
    html = get(client, "/").content.decode()
    form = re.search(
        r'<form action="/language/" method="get" class="lang-form">(.*?)</form>', html, re.S
    )
    assert form and 'name="language" value="en"' in form[1]


@pytest.mark.parametrize("path", ["/catalog/", "/catalog/category/"])
def test_a_shortened_catalog_address_leads_to_the_categories_on_the_home_page(client, path):
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (301, "/")
