"""sitemap.xml: home, the ITA pages of confirmed years and their items, the categories and every
live item.

An office that has published for years has more items than one sitemap file may list (50,000),
so ``/sitemap.xml`` is an index of section files (``/sitemap-items.xml?p=2`` …). Every address
is written with ``SITE_URL`` rather than the host name the crawler happened to use.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from catalog import evidence
from catalog.models import CatalogItem, Category, ITAItem


class SiteUrlSitemap(Sitemap):
    """A sitemap whose addresses start with ``SITE_URL``, not the request's host."""

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class PagesSitemap(SiteUrlSitemap):
    """The home page, the ITA evidence page of every year with a confirmed list, and the landing
    page of each of its items (the address given to ITAS)."""

    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[tuple[str, tuple]]:
        pages = [("home", ())]
        years = evidence.years()
        pages += [("catalog:ita", (year,)) for year in years]
        items = ITAItem.objects.filter(fiscal_year__in=years).order_by("-fiscal_year", "order")
        pages += [
            ("catalog:ita_item", (y, code)) for y, code in items.values_list("fiscal_year", "code")
        ]
        return pages

    def location(self, item) -> str:
        name, args = item
        return reverse(name, args=args)


class CategorySitemap(SiteUrlSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Category.objects.active().order_by("pk").only("pk", "slug")

    def location(self, item) -> str:
        return reverse("catalog:category", args=[item.slug])


class ItemSitemap(SiteUrlSitemap):
    """Every live item; its page is the address ITA reviewers and search engines should keep."""

    changefreq = "monthly"
    priority = 0.8
    limit = 10_000  # a sitemap file of ~1.5 MB; search engines accept up to 50,000 entries

    def items(self):
        return CatalogItem.objects.live().order_by("pk").only("pk", "slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return CatalogItem.objects.live().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"pages": PagesSitemap, "categories": CategorySitemap, "items": ItemSitemap}


@require_safe
@x_robots_tag
def index(request):
    """Like ``django.contrib.sitemaps.views.index``, with section addresses on ``SITE_URL``."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse("sitemap-section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{location}?p={page}", lastmod))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
