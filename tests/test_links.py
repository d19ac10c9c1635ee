"""catalog/links.py builds item and photo addresses as reverse() does, only faster."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from catalog.links import fast_reverse, item_url, photo_url

SLUGS = [
    "ประชาสัมพันธ์กิจกรรมวันครู-ประจำปี-๒๕๖๙",
    "plain-ascii-123",
    "with space",
    "odd%25chars?#&=+;,@:~'()*!$",
    "ﾌﾙ幅",
    "-",
    "",
    None,
]


@pytest.mark.parametrize("slug", SLUGS)
def test_item_addresses_are_what_reverse_gives(slug):
    assert item_url(42, slug) == reverse("catalog:item", args=[42, slug or "-"])


def test_photo_addresses_are_what_reverse_gives():
    for size in ("thumb", "full", "list", "list2x"):
        assert photo_url(7, 1234567, size) == reverse("catalog:photo", args=[7, 1234567, size])


def test_what_reverse_refuses_is_still_refused():
    with pytest.raises(NoReverseMatch):
        fast_reverse("catalog:item", 1, "a/b")
    with pytest.raises(NoReverseMatch):
        fast_reverse("catalog:item", -1, "x")


def test_a_script_prefix_is_kept(settings):
    try:
        set_script_prefix("/esa/")
        assert item_url(5, "ข่าว") == reverse("catalog:item", args=[5, "ข่าว"])
        assert item_url(5, "ข่าว").startswith("/esa/catalog/5/")
    finally:
        set_script_prefix("/")
    assert item_url(5, "ข่าว").startswith("/catalog/5/")


@override_settings(ROOT_URLCONF="esa_publish.urls")
def test_every_argument_in_its_place():
    assert item_url(987654321, "987654320") == reverse(
        "catalog:item", args=[987654321, "987654320"]
    )
