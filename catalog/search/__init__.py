"""Full-text search over the public catalog, on SQLite and on PostgreSQL, for Thai text.

One interface, two databases. Writing is the same everywhere: an item's title, summary and photo
captions are cut into words (:mod:`catalog.search.segment`) and stored as a
:class:`~catalog.models.CatalogSearchEntry`; the database's own index follows that table (an
FTS5 table fed by triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL,
both created by migrations 0003 and 0004). Only reading differs, in :mod:`catalog.search.sqlite` and
:mod:`catalog.search.postgres`.

    index_item(item)                 store one item's entry (after a publication or an edit)
    index_items(items)               the same for a batch, in one statement
    remove_item(item_id)             drop an item's entry (after a takedown)
    search(query, filters=..., offset=..., limit=...) -> SearchResult(ids, total, terms, more)

:func:`search` returns item ids, best first, for one page, and the number of matches (counted up
to :data:`MAX_RESULTS`): the caller loads the items it shows (``select_related`` included) in
one query, so a page costs the same few queries whatever the number of matches. Only live items
are returned (published, not withdrawn, publication time reached), whatever the index holds.
The filters are tokens in the index (each entry's ``facets``), matched with the words in one
SQL statement. Titles weigh more than summaries, summaries more than captions.

The index is kept current by :mod:`catalog.search.receivers` (on ``catalog.signals.item_changed``,
after the commit) and repaired or rebuilt by ``manage.py index_items``.

This module imports nothing from Django models at import time: the indexing command's worker
processes import :mod:`catalog.search.segment` without setting Django up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from catalog.search.segment import MAX_QUERY_LENGTH, Term, query_terms

# Matches ranked per search, newest first; see search().
MAX_RESULTS = 500

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_RESULTS",
    "Filters",
    "SearchResult",
    "facets_of",
    "index_item",
    "index_items",
    "remove_item",
    "search",
]


@dataclass(frozen=True)
class Filters:
    """The filters of the category pages, each None for "any".

    They are answered by the index itself: each item's entry carries its filter values as
    tokens (``facets``), which the match must also hold.
    """

    category_id: int | None = None
    fiscal_year: int | None = None
    unit_id: int | None = None
    kind: str | None = None  # a file kind ("pdf", "jpeg", …) or "photo" for the gallery

    def facets(self) -> list[str]:
        """The index tokens a matching item's entry must hold (see :func:`facets_of`)."""
        tokens = []
        if self.category_id is not None:
            tokens.append(f"c:{self.category_id}")
        if self.fiscal_year is not None:
            tokens.append(f"y:{self.fiscal_year}")
        if self.unit_id is not None:
            tokens.append(f"u:{self.unit_id}")
        if self.kind:
            tokens.append(f"k:{self.kind}")
        return tokens


def facets_of(*, category_id, fiscal_year, unit_id, kinds) -> str:
    """An item's filter values as index tokens, e.g. ``"c:12 y:2569 u:3 k:pdf k:photo"``.

    ``kinds`` are the kinds of its published files, plus "photo" if it has a gallery: the same
    rule as the category pages, which look at the file and photo rows (catalog.selectors).
    The ":" keeps them apart from words: normalized text never contains one.
    """
    tokens = [f"c:{category_id}", f"y:{fiscal_year}"]
    if unit_id is not None:
        tokens.append(f"u:{unit_id}")
    tokens += [f"k:{kind}" for kind in sorted(set(kinds)) if kind and " " not in kind]
    return " ".join(tokens)


@dataclass
class SearchResult:
    """One page of matches: item ids best first, how many matches, the parsed query."""

    ids: list[int] = field(default_factory=list)
    total: int = 0  # matches counted, at most MAX_RESULTS
    terms: list[Term] = field(default_factory=list)
    more: bool = False  # True when there are more than MAX_RESULTS matches


def _backend(connection):
    if connection.vendor == "postgresql":
        from catalog.search import postgres

        return postgres
    from catalog.search import sqlite

    return sqlite


def search(
    query: str,
    *,
    filters: Filters | None = None,
    offset: int = 0,
    limit: int = 20,
    now: datetime | None = None,
    using: str = "default",
) -> SearchResult:
    """Live items matching every word of ``query`` (see :func:`segment.query_terms`), ranked.

    Ranking looks at the newest :data:`MAX_RESULTS` matches (by item id, i.e. publication
    order) and no further: a word found in 35,000 of 100,000 items would otherwise have every one
    of them scored and sorted for each page (0.2 s on SQLite, 2 s on PostgreSQL), and nobody
    reads 25 pages of results. The result says so (``more``) and the page asks people to narrow
    the search with more words or the filters.

    Any string is safe: the query is reduced to words before it reaches SQL, and each word is
    passed quoted, so FTS5 and tsquery operators typed by people are just text. A query with no
    words left returns nothing without touching the database. One query when the page has rows
    (the count comes with them), two when it is empty past the first page.
    """
    from django.db import connections
    from django.utils import timezone

    terms = query_terms(query)
    if not terms or limit <= 0:
        return SearchResult(terms=terms)
    connection = connections[using]
    backend = _backend(connection)
    ids, counted = backend.search(
        connection,
        terms,
        filters or Filters(),
        now=now or timezone.now(),
        offset=max(offset, 0),
        limit=limit,
        cap=MAX_RESULTS,
    )
    return SearchResult(
        ids=ids, total=min(counted, MAX_RESULTS), terms=terms, more=counted > MAX_RESULTS
    )


def index_item(item) -> None:
    """Store ``item``'s entry now (its photos' captions are read from the database)."""
    from catalog.search import index

    index.index_items([item])


def index_items(items) -> int:
    """Store the entries of a batch of items in one statement; returns how many."""
    from catalog.search import index

    return index.index_items(items)


def remove_item(item_id: int) -> None:
    """Drop an item's entry; nothing happens if it has none."""
    from catalog.search import index

    index.remove_items([item_id])
