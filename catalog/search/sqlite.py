"""Reading the index on SQLite: an FTS5 MATCH ranked by bm25, joined to the live items.

The FTS5 table (created by migrations 0003 and 0004) holds the pre-segmented words of each item
under its id as rowid, so FTS5's own ``unicode61`` tokenizer only has to split at the spaces we
put there; a fourth column holds the item's facets, which the filters match.
The query is built from our own words, each one double-quoted: whatever people type (quotes,
``NEAR``, ``AND``, ``*``, ``^``, ``-``, column filters) reaches FTS5 as plain text, never as
syntax.
"""

from __future__ import annotations

from catalog.search.segment import Term

# bm25 column weights, in the table's column order: title, summary, captions, facets.
WEIGHTS = (10.0, 4.0, 2.0, 0.0)


def quote(token: str) -> str:
    """An FTS5 string: double quotes around it, inner double quotes doubled."""
    return '"' + token.replace('"', '""') + '"'


def _sequence(tokens: tuple[str, ...], prefix: bool) -> str:
    phrases = [quote(token) for token in tokens]
    if prefix:
        phrases[-1] += "*"
    return phrases[0] if len(phrases) == 1 else "(" + " AND ".join(phrases) + ")"


def match_expression(terms: list[Term], facets: list[str] = ()) -> str:
    """All terms must match; a term matches as the whole word or as all of its parts.

    ``แผนปฏิบัติการ`` → ``{title summary captions} : ("แผน" AND ("ปฏิบัติการ" OR "ปฏิบัติ"))``,
    the last term of a query being typed ending in ``*``; the filters' tokens follow as
    ``AND facets : ("y:2569" AND "k:pdf")``.
    """
    groups = []
    for term in terms:
        options = [_sequence(tokens, prefix) for tokens, prefix in term.alternatives]
        groups.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    expression = "{title summary captions} : (" + " AND ".join(groups) + ")"
    if facets:
        expression += " AND facets : (" + " AND ".join(quote(f) for f in facets) + ")"
    return expression


# bm25() only works in the statement that holds the MATCH, so the innermost SELECT scores; it
# takes the newest `cap` + 1 matches in rowid order, which FTS5 delivers without sorting, so no
# more than that are ever scored. Window functions count them (the extra one says "more") and
# keep the newest `cap` for ranking. Statements
# are joined from these constants and the filters' placeholders; no value is put in the text.
#
# The filters are part of the MATCH (the entry's facets), so the join to the items only checks
# that each candidate is live. CROSS JOIN is SQLite's way of fixing the join order: the match
# must drive. Left to itself, with a condition on an indexed item column the planner may walk
# the items and re-run the MATCH for each one, which took minutes on 100,000 items.
_MATCHES = (
    "FROM catalog_search_fts CROSS JOIN catalog_catalogitem AS i"
    " ON i.id = catalog_search_fts.rowid",
    "WHERE catalog_search_fts MATCH %s AND i.published_at <= %s AND i.withdrawn_at IS NULL",
)
_NEWEST = "ORDER BY catalog_search_fts.rowid DESC LIMIT %s"
_SCORED = "SELECT i.id AS id, i.published_at AS published_at, bm25(catalog_search_fts, {}) AS score"
_PAGE = "ORDER BY score, published_at DESC, id DESC LIMIT %s OFFSET %s"


def search(connection, terms, filters, *, now, offset, limit, cap) -> tuple[list[int], int]:
    """One page of ids, best first, and the number of matches counted (at most ``cap`` + 1)."""
    matches = [*_MATCHES, _NEWEST]
    params = [
        match_expression(terms, filters.facets()),
        connection.ops.adapt_datetimefield_value(now),
        cap + 1,
    ]
    scored = " ".join([_SCORED.replace("{}", ", ".join(map(str, WEIGHTS))), *matches])
    page_sql = " ".join(
        [
            "SELECT id, n FROM (SELECT id, published_at, score, COUNT(*) OVER () AS n,",
            "ROW_NUMBER() OVER (ORDER BY id DESC) AS newest FROM (",
            scored,
            ")) WHERE newest <= %s",
            _PAGE,
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(page_sql, [*params, cap, limit, offset])
        rows = cursor.fetchall()
        if rows:
            return [row[0] for row in rows], rows[0][1]
        if offset == 0:
            return [], 0
        cursor.execute(" ".join(["SELECT COUNT(*) FROM (SELECT 1", *matches, ")"]), params)
        return [], cursor.fetchone()[0]


def rebuild_fts(connection) -> None:
    """Have FTS5 rebuild its index from the entry table, should the two ever disagree."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO catalog_search_fts(catalog_search_fts) VALUES ('rebuild')")
