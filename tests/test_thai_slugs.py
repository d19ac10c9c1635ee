"""Thai slugs keep their vowels and tone marks, in addresses and in download names; the id alone
or an old slug redirects to the item's address."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from esa_publish.thai.slugs import thai_slugify
from requests.states import State
from tests.workflow import make_request

TITLE = "ประกาศรายชื่อโรงเรียนที่ผ่านการประเมิน ปี ๒๕๖๘"


def test_slugs_keep_vowels_and_tone_marks():
    assert thai_slugify(TITLE) == "ประกาศรายชื่อโรงเรียนที่ผ่านการประเมิน-ปี-๒๕๖๘"
    assert thai_slugify("Annual Report_2568 (ฉบับย่อ)!") == "annual-report-2568-ฉบับย่อ"
    assert thai_slugify("???") == "-"


def test_a_cut_slug_never_ends_on_a_letter_without_its_marks():
    slug = thai_slugify("ก" * 99 + "กี่", max_length=100)
    assert slug == "ก" * 99


@pytest.mark.django_db
def test_published_items_get_the_whole_thai_slug_and_short_addresses_redirect(client, people):
    req = make_request(people, State.PUBLISHED, photos=1, title=TITLE)
    item = req.catalog_item
    assert item.slug == thai_slugify(TITLE)
    address = item.get_absolute_url()
    assert client.get(address).status_code == 200
    for other in (
        f"/catalog/{item.pk}/",
        reverse("catalog:item", args=[item.pk, "ประกาศรายชอโรงเรยน"]),
    ):
        response = client.get(other)
        assert response.status_code == 301, other
        assert response["Location"] == address
    assert client.get("/catalog/999999/").status_code == 404


@pytest.mark.django_db
def test_photo_download_names_keep_the_marks(client, people):
    req = make_request(people, State.PUBLISHED, photos=1, title=TITLE)
    item = req.catalog_item
    photo = item.photos.first()
    response = client.get(reverse("catalog:photo", args=[item.pk, photo.pk, "full"]))
    assert response.status_code == 200
    assert quote(thai_slugify(TITLE), safe="") in response["Content-Disposition"]


@pytest.mark.django_db
def test_the_migration_writes_old_slugs_again_and_the_old_address_redirects(client, people):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("catalog.migrations.0016_item_slugs_keep_thai_marks")
    item = make_request(people, State.PUBLISHED, title=TITLE).catalog_item
    old = "ประกาศรายชอโรงเรยนทผานการประเมน-ป-๒๕๖๘"  # what slugify made of the title
    type(item).objects.filter(pk=item.pk).update(slug=old)
    migration.rewrite_slugs(apps, None)
    item.refresh_from_db()
    assert item.slug == thai_slugify(TITLE)
    response = client.get(reverse("catalog:item", args=[item.pk, old]))
    assert response.status_code == 301 and response["Location"] == item.get_absolute_url()
