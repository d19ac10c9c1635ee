"""Atom feeds of newly published items: the whole catalog and one per category.

Schools and other offices follow an ESA office's announcements in feed readers and LINE bots.
Links are made absolute with ``SITE_URL`` rather than the request's host name, so an entry's
address (its Atom id) stays the same however the feed was fetched.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from catalog import selectors
from catalog.conditional import conditional_public
from catalog.models import Category
from catalog.views import absolute
from esa_publish.office.models import Office

FEED_LENGTH = 50


@dataclass(frozen=True)
class FeedSubject:
    """What one request's feed is about. The Feed instance is shared by all requests (and
    threads), so per-request values travel in this object instead of on ``self``."""

    office: Office
    category: Category | None = None


class LatestItemsFeed(Feed):
    """The newest live items of every category."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        # Feed readers poll: ETag/Last-Modified and 304 when nothing changed since their copy.
        return conditional_public(super().__call__)(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs) -> FeedSubject:
        return FeedSubject(office=Office.current())

    def title(self, obj) -> str:
        return _("ข้อมูลเผยแพร่ล่าสุด · %(office)s") % {"office": obj.office.short_name}

    def subtitle(self, obj) -> str:
        return obj.office.name_th

    def link(self, obj) -> str:
        return absolute(reverse("home"))

    def feed_url(self, obj) -> str:
        return absolute(reverse("catalog:feed"))

    def author_name(self, obj) -> str:
        return obj.office.name_th

    def items(self, obj):
        return selectors.latest_items(FEED_LENGTH)

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.summary

    def item_link(self, item) -> str:
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.published_at, item.updated_at)

    def item_author_name(self, item) -> str | None:
        return item.unit_name or None

    def item_categories(self, item) -> list[str]:
        return [str(item.category)]


class CategoryFeed(LatestItemsFeed):
    """The newest live items of one category."""

    def get_object(self, request, slug: str) -> FeedSubject:
        return FeedSubject(office=Office.current(), category=get_object_or_404(Category, slug=slug))

    def title(self, obj) -> str:
        return f"{obj.category} · {obj.office.short_name}"

    def link(self, obj) -> str:
        return absolute(reverse("catalog:category", args=[obj.category.slug]))

    def feed_url(self, obj) -> str:
        return absolute(reverse("catalog:category_feed", args=[obj.category.slug]))

    def items(self, obj):
        return selectors.category_items(obj.category)[:FEED_LENGTH]
