"""The public catalog's read queries, shared by the pages, the JSON API, the feeds and sitemaps.

Everything a citizen can reach starts from :meth:`CatalogItemQuerySet.live`, so an item that is
scheduled for later or taken down can only leak if a page bypasses this module. Each function
returns a queryset or a small list whose number of queries does not depend on how many items
exist: list pages annotate what they show on the item row instead of asking per item.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.links import item_url
from catalog.models import CatalogFile, CatalogItem, CatalogPhoto, Category, ITAItem
from esa_publish.office.models import Unit

# The file kinds a visitor may filter by, with the names people know them by. "photo" is the
# activity gallery; "jpeg"/"png" are pictures attached as documents (a scanned notice, a poster).
KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "xlsx": "Excel (XLSX)",
    "jpeg": "JPEG",
    "png": "PNG",
    "photo": _("ภาพกิจกรรม"),
}

LIST_PAGE_SIZE = 20
LATEST_ON_HOME = 10


def live_items(now=None):
    """Items the public may see now, with what every list shows: category and cover thumbnail.

    The cover is an annotated primary key rather than a prefetch so a page of items stays one
    query; the thumbnail's address needs nothing else.
    """
    cover = CatalogPhoto.objects.filter(item=OuterRef("pk")).order_by("-is_cover", "order", "pk")
    return (
        CatalogItem.objects.live(now)
        .select_related("category")
        .annotate(cover_id=Subquery(cover.values("pk")[:1]))
    )


# What a list row shows (catalog/_item_row.html), in ListRow's order.
LIST_COLUMNS = ("pk", "slug", "title", "published_at", "unit_name", "cover_id", "category__name")


class _CategoryName:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class ListRow:
    """One item as a list shows it, read as plain values: building 20 model instances and
    their categories was a third of a cold category page's CPU (issue 18)."""

    __slots__ = ("pk", "slug", "title", "published_at", "unit_name", "cover_id", "category")

    def __init__(self, pk, slug, title, published_at, unit_name, cover_id, category_name):
        self.pk, self.slug, self.title = pk, slug, title
        self.published_at, self.unit_name, self.cover_id = published_at, unit_name, cover_id
        self.category = _CategoryName(category_name)

    def get_absolute_url(self) -> str:
        return item_url(self.pk, self.slug)


class ResultRow(ListRow):
    """A search result: a list row with what the result shows besides (snippet, year, kinds)."""

    __slots__ = ("summary", "fiscal_year", "file_kinds")

    def __init__(self, *values):
        super().__init__(*values[: len(LIST_COLUMNS)])
        self.summary, self.fiscal_year, self.file_kinds = values[len(LIST_COLUMNS) :]

    @property
    def kind_labels(self) -> list:
        return [KIND_LABELS.get(kind, kind.upper()) for kind in self.file_kinds]


def result_rows(ids) -> dict[int, ResultRow]:
    """The live items among ``ids`` as :class:`ResultRow` values by primary key, in one query."""
    columns = (*LIST_COLUMNS, "summary", "fiscal_year", "file_kinds")
    found = live_items().filter(pk__in=ids).order_by().values_list(*columns)
    return {values[0]: ResultRow(*values) for values in found}


def list_rows(items) -> list[ListRow]:
    """``items`` (a queryset of :func:`live_items`, sliced or not) as :class:`ListRow` values,
    in one query without model instances.

    A page past the first is read as a "deferred join": the page's ids come from the index alone
    in a subquery, and only those rows are read with their category and cover. Otherwise, deep
    in a list, the database builds every skipped row with its cover subquery and throws it away
    (page 50 of 1,769 items: SQLite 2.2 -> 0.3 ms, PostgreSQL 2.4 -> 1.0 ms). The first page
    skips nothing, and there the subquery was only one more statement to compile and plan.
    """
    if items.query.is_sliced and items.query.low_mark:
        ordering = items.query.order_by
        items = live_items().filter(pk__in=items.values("pk")).order_by(*ordering)
    return [ListRow(*values) for values in items.values_list(*LIST_COLUMNS)]


@dataclass(frozen=True)
class ItemFilters:
    """The narrowing a visitor chose on a category page or in the API; ``None`` means any."""

    fiscal_year: int | None = None
    unit_id: int | None = None
    kind: str | None = None

    @classmethod
    def from_query(cls, params) -> ItemFilters:
        """Read ``fiscal_year``, ``unit`` and ``kind`` from a query dict; bad values are ignored,
        so a mistyped or stale link shows everything rather than an error page."""
        return cls(
            fiscal_year=_positive_int(params.get("fiscal_year")),
            unit_id=_positive_int(params.get("unit")),
            kind=params.get("kind") if params.get("kind") in KIND_LABELS else None,
        )

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.fiscal_year, self.unit_id, self.kind))


def _positive_int(raw) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**31 else None


def has_kind(kind: str):
    """A condition true for items that went public with a file of ``kind``.

    It asks the published file rows themselves rather than the ``file_kinds`` JSON list: JSON
    containment is not available on SQLite, and matching the list's text would depend on how
    each database writes JSON. The subquery uses the foreign-key index on the item.
    """
    if kind == "photo":
        return Exists(CatalogPhoto.objects.filter(item=OuterRef("pk")))
    return Exists(CatalogFile.objects.filter(item=OuterRef("pk"), kind=kind))


def filter_items(qs, filters: ItemFilters):
    if filters.fiscal_year is not None:
        qs = qs.filter(fiscal_year=filters.fiscal_year)
    if filters.unit_id is not None:
        qs = qs.filter(unit_id=filters.unit_id)
    if filters.kind is not None:
        qs = qs.filter(has_kind(filters.kind))
    return qs


def category_items(category: Category, filters: ItemFilters = ItemFilters()):
    """A category's live items, newest first, narrowed by ``filters``."""
    return filter_items(live_items().filter(category=category), filters).order_by(
        "-published_at", "-pk"
    )


@dataclass(frozen=True)
class CategorySummary:
    """How many live items a category has per (fiscal year, unit): its item count and its filter
    menus, from one GROUP BY over the category's index entries instead of a COUNT and a
    DISTINCT (the two queries a page makes first after every publication)."""

    groups: dict[tuple[int, int | None], int]

    def count(self, filters: ItemFilters) -> int | None:
        """The number of items ``filters`` leave, or ``None`` for a file kind (not grouped)."""
        if filters.kind is not None:
            return None
        return sum(
            n
            for (year, unit), n in self.groups.items()
            if filters.fiscal_year in (None, year) and filters.unit_id in (None, unit)
        )

    @property
    def years(self) -> list[int]:
        """The fiscal years with live items, newest first: the year menu offers only these."""
        return sorted({year for year, _ in self.groups}, reverse=True)

    @property
    def unit_ids(self) -> set[int]:
        return {unit for _, unit in self.groups if unit is not None}


def category_summary(category: Category) -> CategorySummary:
    rows = (
        CatalogItem.objects.live()
        .filter(category=category)
        .order_by()
        .values_list("fiscal_year", "unit_id")
        .annotate(n=Count("*"))
    )
    return CategorySummary({(year, unit): n for year, unit, n in rows})


def units_in_order() -> list[tuple[int, str]]:
    """Every unit as (pk, name), in the order the office set: the menus' unit names."""
    return list(Unit.objects.order_by("order", "name").values_list("pk", "name"))


def categories_with_counts(*, active_only: bool = True):
    """Categories with ``live_count``, the number of their live items, in one query.

    The count is a correlated subquery per category rather than a join with ``COUNT(...)
    FILTER``: the live condition then sits in a WHERE clause, where both databases can answer it
    from an index on (category, published_at) instead of reading every item row.
    """
    live = (
        CatalogItem.objects.live()
        .filter(category=OuterRef("pk"))
        .order_by()
        .values("category")
        .annotate(n=Count("*"))  # COUNT(*), not COUNT(id): an index alone can answer it
        .values("n")
    )
    qs = Category.objects.active() if active_only else Category.objects.all()
    return qs.annotate(live_count=Coalesce(Subquery(live), 0))


def latest_items(limit: int = LATEST_ON_HOME):
    return live_items().order_by("-published_at", "-pk")[:limit]


def item_for_page(pk: int):
    """The item ``pk`` whatever its state, with everything its page shows; ``None`` if absent.

    The caller decides between 404 (never published, or not yet), 410 (taken down) and the page.
    ``live_replaces`` lists the live items this one corrects, newest first. They are filtered and
    sorted here rather than in SQL so the database looks them up by ``replaced_by`` alone: with a
    date condition or ORDER BY, SQLite walked the date index over the whole catalog instead.
    """
    item = (
        CatalogItem.objects.select_related("category", "replaced_by")
        .prefetch_related(
            "files",
            "photos",
            # Only items of confirmed lists: an O-number of a year nobody confirmed is not shown.
            Prefetch(
                "ita_items", queryset=ITAItem.objects.confirmed().order_by("fiscal_year", "order")
            ),
            Prefetch(
                "replaces",
                # No ORDER BY: with one, SQLite prefers walking the date index (sorted below).
                queryset=CatalogItem.objects.only(
                    "pk", "slug", "title", "published_at", "withdrawn_at", "replaced_by"
                ).order_by(),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if item is not None:
        now = timezone.now()
        item.live_replaces = sorted(
            (old for old in item.replaces.all() if is_live(old, now)),
            key=lambda old: old.published_at,
            reverse=True,
        )
    return item


def is_live(item: CatalogItem, now=None) -> bool:
    now = now or timezone.now()
    return item.withdrawn_at is None and item.published_at <= now


def live_item_or_none(pk: int):
    """The live item ``pk`` without its relations, for the file and photo downloads."""
    return CatalogItem.objects.live().filter(pk=pk).first()


def live_replacement(item: CatalogItem):
    """The newest live item in the chain of corrections after ``item``, if any.

    A correction can itself be corrected; a visitor who follows an old link should land on the
    version in force, so the chain is followed (bounded, in case of a loop in bad data).
    """
    seen = {item.pk}
    current = item.replaced_by
    found = None
    while current is not None and current.pk not in seen and len(seen) < 20:
        seen.add(current.pk)
        if is_live(current):
            found = current
        current = current.replaced_by
    return found
