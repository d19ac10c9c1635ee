"""List rows (category and search) load a cover the size of their slot, on a phone and on a
2x screen, as a browser chooses it from srcset."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from catalog.search import index_item
from tests.conftest import screenshot
from tests.test_catalog_pages import a_category, make_items
from tests.workflow import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1},
    "phone-2x": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


@pytest.fixture
def listed(transactional_db, fresh_page_cache):
    items = make_items(3, a_category())
    for n, item in enumerate(items):
        photo = item.photos.get()
        photo.thumbnail = default_storage.save(
            f"test/thumb-{n}.jpg", ContentFile(jpeg_bytes((400, 300), (40 * n, 90, 160)))
        )
        photo.save()
        index_item(item)
    return items


@pytest.mark.parametrize("screen", SCREENS)
def test_list_rows_load_covers_sized_to_their_slot(live_server, browser, listed, screen):
    context = browser.new_context(locale="th-TH", **SCREENS[screen])
    page = context.new_page()
    size, pixels = (
        ("list", (102, 77))
        if SCREENS[screen]["device_scale_factor"] == 1
        else (
            "list2x",
            (204, 153),
        )
    )
    try:
        for name, address in (
            ("category", f"/catalog/category/{listed[0].category.slug}/"),
            ("search", "/search/?q=รายการทดสอบ"),
        ):
            page.goto(live_server.url + address)
            thumbs = page.locator("img.item-thumb, img.search-thumb")
            assert thumbs.count() == 3
            for n in range(3):
                thumb = thumbs.nth(n)
                thumb.scroll_into_view_if_needed()
                page.wait_for_function(
                    "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
                )
                chosen = thumb.evaluate("img => img.currentSrc")
                assert chosen.endswith(f"/{size}/"), (name, chosen)
                delivered = Image.open(io.BytesIO(page.request.get(chosen).body()))
                assert delivered.size == pixels  # the file itself, not a scaled copy
                box = thumb.bounding_box()  # the slot: 6rem x 4.5rem (17px), less on a phone
                assert box["width"] <= 102 and box["height"] <= 77
            screenshot(page, f"list-thumbnails-{name}-{screen}")
    finally:
        context.close()
