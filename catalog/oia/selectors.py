"""Reads for the information centre page and the webmaster's warning.

Every item comes from :meth:`CatalogItemQuerySet.live`, like the rest of the public catalog. The
page is a fixed number of queries whatever the size of the catalog: the newest few items of each
mapped category come from one query with a window function.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from catalog.models import CatalogItem, Category
from catalog.oia.models import PLAN_CODE, GazetteNotice, OIAHeading
from esa_publish.thai.fiscal import fiscal_year as fiscal_year_of

#: Items listed under each heading; the heading links to its categories for the rest.
ITEMS_PER_HEADING = 10


def current_fiscal_year() -> int:
    return fiscal_year_of(timezone.localdate())


@dataclass
class Section:
    number: int
    title: str
    headings: list[OIAHeading] = field(default_factory=list)


SECTION_TITLES = {
    7: "มาตรา ๗ ข้อมูลข่าวสารที่ต้องลงพิมพ์ในราชกิจจานุเบกษา",
    9: "มาตรา ๙ ข้อมูลข่าวสารที่ต้องจัดไว้ให้ประชาชนเข้าตรวจดู",
}


def _newest_per_category(category_ids: set[int], **filters) -> dict[int, list[CatalogItem]]:
    if not category_ids:
        return {}
    rows = (
        CatalogItem.objects.live()
        .filter(category_id__in=category_ids, **filters)
        .only("pk", "slug", "title", "published_at", "fiscal_year", "category_id")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("category_id"),
                order_by=[F("published_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=ITEMS_PER_HEADING)
    )
    found: dict[int, list[CatalogItem]] = {}
    for item in rows:
        found.setdefault(item.category_id, []).append(item)
    return found


def centre_index(fiscal_year: int | None = None) -> list[Section]:
    """Sections 7 and 9 with their headings (9(8)'s items nested as ``children_list``); each
    heading carries ``mapped`` (its active categories), ``items`` (its newest live items) and, in
    section 7, ``notices`` (Royal Gazette references). Under 9(3) only the current fiscal year's
    items are listed: the Act asks for the plans of the year in progress."""
    year = fiscal_year or current_fiscal_year()
    headings = list(
        OIAHeading.objects.prefetch_related(
            Prefetch(
                "categories",
                queryset=Category.objects.active().order_by("order", "code"),
                to_attr="mapped",
            ),
            Prefetch(
                "gazette_notices",
                queryset=GazetteNotice.objects.order_by("-published_on"),
                to_attr="notices",
            ),
        ).order_by("order", "code")
    )
    plan_ids = {c.pk for h in headings if h.code == PLAN_CODE for c in h.mapped}
    other_ids = {c.pk for h in headings if h.code != PLAN_CODE for c in h.mapped}
    newest = _newest_per_category(other_ids)
    plans = _newest_per_category(plan_ids, fiscal_year=year)
    sections = {number: Section(number, title) for number, title in SECTION_TITLES.items()}
    by_pk = {h.pk: h for h in headings}
    for heading in headings:
        source = plans if heading.code == PLAN_CODE else newest
        merged = [item for c in heading.mapped for item in source.get(c.pk, [])]
        merged.sort(key=lambda item: (item.published_at, item.pk), reverse=True)
        heading.items = merged[:ITEMS_PER_HEADING]
        heading.children_list = []
    for heading in headings:
        if heading.parent_id:
            by_pk[heading.parent_id].children_list.append(heading)
        else:
            sections[heading.section].headings.append(heading)
    return [sections[7], sections[9]]


def plan_missing(fiscal_year: int | None = None) -> bool:
    """True when nothing live answers 9(3) for ``fiscal_year`` (the current one by default):
    no category is mapped to it, or none of its categories has a live item of that year."""
    year = fiscal_year or current_fiscal_year()
    return not (
        CatalogItem.objects.live()
        .filter(fiscal_year=year, category__oia_headings__code=PLAN_CODE)
        .exists()
    )
