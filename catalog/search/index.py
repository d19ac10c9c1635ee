"""Writing the search entries: one item, a batch, or everything that is missing or out of date.

Entries are upserted, never deleted and re-inserted, so a search running at the same time sees
either the old or the new text of an item, never nothing. The database's own index (FTS5 table
or tsvector column) follows the entry table by itself.

Segmenting is the slow part (about a millisecond per item); :func:`run` can spread it over
worker processes. They are started with ``spawn`` and only ever run :mod:`segment`, which needs
no Django: a forked child would inherit the parent's database connection, and closing it there
would end the parent's PostgreSQL session.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from django.db.models import F, Q
from django.utils import timezone

from catalog.models import CatalogFile, CatalogItem, CatalogPhoto, CatalogSearchEntry
from catalog.search import facets_of, segment

# One item as (id, title, summary, captions, facets, published_at): what is segmented (the facets
# and the publication time pass through).
Source = tuple[int, str, str, str, str, datetime]
Segmented = tuple[int, str, str, str, str, datetime]

ENTRY_FIELDS = ["title", "summary", "captions", "facets", "published_at", "version", "indexed_at"]
ITEM_FIELDS = (
    "pk",
    "title",
    "summary",
    "category_id",
    "fiscal_year",
    "unit_id",
    "published_at",
    "withdrawn_at",
)


def segment_sources(sources: list[Source]) -> list[Segmented]:
    return segment.index_rows(sources)


def sources_of(items: list) -> list[Source]:
    """The texts and facets of a batch of items: two queries whatever the batch size."""
    ids = [item.pk for item in items]
    captions: dict[int, list[str]] = defaultdict(list)
    kinds: dict[int, set[str]] = defaultdict(set)
    photos = (
        CatalogPhoto.objects.filter(item_id__in=ids)
        .order_by("item_id", "order", "pk")
        .values_list("item_id", "caption")
    )
    for item_id, caption in photos:
        kinds[item_id].add("photo")
        if caption:
            captions[item_id].append(caption)
    for item_id, kind in CatalogFile.objects.filter(item_id__in=ids).values_list("item_id", "kind"):
        kinds[item_id].add(kind)
    return [
        (
            item.pk,
            item.title,
            item.summary,
            "\n".join(captions[item.pk]),
            facets_of(
                category_id=item.category_id,
                fiscal_year=item.fiscal_year,
                unit_id=item.unit_id,
                kinds=kinds[item.pk],
            ),
            item.published_at,
        )
        for item in items
    ]


def save_entries(segmented: Iterable[Segmented]) -> int:
    """Upsert entries (one INSERT … ON CONFLICT DO UPDATE statement)."""
    now = timezone.now()
    entries = [
        CatalogSearchEntry(
            item_id=item_id,
            title=title,
            summary=summary,
            captions=captions,
            facets=facets,
            published_at=published_at,
            version=segment.VERSION,
            indexed_at=now,
        )
        for item_id, title, summary, captions, facets, published_at in segmented
    ]
    if entries:
        CatalogSearchEntry.objects.bulk_create(
            entries, update_conflicts=True, unique_fields=["item"], update_fields=ENTRY_FIELDS
        )
    return len(entries)


def index_items(items) -> int:
    """Segment and store the given items (withdrawn ones are removed instead)."""
    items = list(items)
    gone = [item.pk for item in items if item.withdrawn_at is not None]
    if gone:
        remove_items(gone)
    live = [item for item in items if item.withdrawn_at is None]
    return save_entries(segment_sources(sources_of(live)))


def remove_items(item_ids: Iterable[int]) -> int:
    deleted, _ = CatalogSearchEntry.objects.filter(item_id__in=list(item_ids)).delete()
    return deleted


def refresh(item_id: int) -> None:
    """Bring one item's entry up to date with the item as it is now in the database."""
    item = CatalogItem.objects.filter(pk=item_id).only(*ITEM_FIELDS).first()
    if item is None or item.withdrawn_at is not None:
        remove_items([item_id])
    else:
        index_items([item])


def pending():
    """Items whose entry is missing, older than the item, made by older segmenting rules, or
    holding another publication time than the item.

    Withdrawn items are never pending: :func:`drop_withdrawn` removes their entries.
    """
    return CatalogItem.objects.filter(withdrawn_at__isnull=True).filter(
        Q(search_entry__isnull=True)
        | Q(search_entry__indexed_at__lt=F("updated_at"))
        | Q(search_entry__version__lt=segment.VERSION)
        # The publication time is copied into the entry (PostgreSQL searches by it): an entry
        # without it (written by a process still running the code before migration 0008) or
        # with another one (changed with save(update_fields=...), which leaves updated_at) is
        # out of date as well.
        | Q(search_entry__published_at__isnull=True)
        # (not ~Q(...=F(...)): negated, Django writes a subquery that took 5 s over 100,000 items)
        | Q(search_entry__published_at__lt=F("published_at"))
        | Q(search_entry__published_at__gt=F("published_at"))
    )


def drop_withdrawn() -> int:
    return remove_items(
        CatalogSearchEntry.objects.filter(item__withdrawn_at__isnull=False).values_list(
            "item_id", flat=True
        )
    )


def mark_all_stale() -> int:
    """Make every entry pending again without removing it: search keeps working meanwhile, and
    an interrupted rebuild is finished by running the command again."""
    return CatalogSearchEntry.objects.update(version=0)


def batches(batch: int) -> Iterator[list[Source]]:
    """The pending items in id order, ``batch`` at a time, as texts to segment.

    Keyset pagination (``id > last``) keeps every batch query as cheap as the first, and items
    indexed meanwhile (by a publication) simply stop being pending.
    """
    last = 0
    while True:
        items = list(pending().filter(pk__gt=last).order_by("pk").only(*ITEM_FIELDS)[:batch])
        if not items:
            return
        last = items[-1].pk
        yield sources_of(items)


def run(
    *,
    batch: int = 1000,
    rebuild: bool = False,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Index every pending item; returns how many were indexed.

    Each batch is committed on its own, so an interruption loses at most one batch and the next
    run starts where this one stopped. ``progress(done, total)`` is called after each batch.
    """
    drop_withdrawn()
    if rebuild:
        mark_all_stale()
    total = pending().count()
    done = 0
    if progress:
        progress(done, total)
    if jobs > 1:
        segmented_batches = _parallel(batches(batch), jobs)
    else:
        segmented_batches = (segment_sources(sources) for sources in batches(batch))
    for segmented in segmented_batches:
        done += save_entries(segmented)
        total = max(total, done)  # items published meanwhile are picked up too
        if progress:
            progress(done, total)
    return done


def _parallel(source_batches: Iterator[list[Source]], jobs: int) -> Iterator[list[Segmented]]:
    """Segment in ``jobs`` processes while this one reads the next batch and writes the last.

    All database work stays in this thread: the workers only ever see plain strings.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs) as pool:
        in_flight = None
        for sources in source_batches:
            chunk = max(1, len(sources) // (jobs * 4))
            parts = [sources[start : start + chunk] for start in range(0, len(sources), chunk)]
            submitted = pool.map_async(segment.index_rows, parts)
            if in_flight is not None:
                yield [row for part in in_flight.get() for row in part]
            in_flight = submitted
        if in_flight is not None:
            yield [row for part in in_flight.get() for row in part]
