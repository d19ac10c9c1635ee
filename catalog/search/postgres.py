"""Reading the index on PostgreSQL: a tsquery against the entries' generated tsvector column.

The column (created by migrations 0003 and 0004) weights the title A, the summary B and the
captions C, in the 'simple' configuration: the words are already cut and normalized by us, and
Thai has no stemming to apply; the entry's facets join it as plain lexemes. The GIN index on it
answers ``@@``; ``ts_rank`` reads the stored vector, so ranking never re-parses text.

The tsquery text is built from our own words, each single-quoted; ``to_tsquery`` then runs them
through the same parser as the stored vectors, so a word is split (or not) the same way on both
sides. People's ``&``, ``|``, ``!``, ``<->``, ``:*`` never reach it as operators.
"""

from __future__ import annotations

from catalog.search.segment import Term

# ts_rank weights for {D, C, B, A}: captions C, summary B, title A.
WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"


def quote(token: str) -> str:
    """A tsquery operand: single quotes around it, quotes and backslashes escaped."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _sequence(tokens: tuple[str, ...], prefix: bool) -> str:
    operands = [quote(token) for token in tokens]
    if prefix:
        operands[-1] += ":*"
    return operands[0] if len(operands) == 1 else "(" + " & ".join(operands) + ")"


def tsquery_text(terms: list[Term]) -> str:
    """``จัดซื้อจัดจ้าง`` → ``('จัดซื้อจัดจ้าง' | ('จัด' & 'ซื้อ' & 'จ้าง'))`` (see sqlite.py)."""
    groups = []
    for term in terms:
        options = [_sequence(tokens, prefix) for tokens, prefix in term.alternatives]
        groups.append(options[0] if len(options) == 1 else "(" + " | ".join(options) + ")")
    return " & ".join(groups)


# Only the newest `cap` + 1 matches are ranked (see catalog.search.search), and finding them
# must not cost a visit to every match: a word in a third of 100,000 items means 35,000 rows,
# and GIN returns matches in no useful order. So the newest WINDOW items are tried first (a
# backward walk of the primary key, or GIN ANDed with the id range, whichever the planner
# prefers): a common word fills the quota there. Only when it does not, i.e. when the matches
# are few enough, does the second branch ask GIN for all of them; PostgreSQL skips that branch
# otherwise (a one-time filter on an InitPlan). Either way the statement returns exactly the
# newest matches.
#
# The tsquery is written out at each use rather than computed once in a CTE: the planner can
# then see the words and estimate how many rows match, which decides between those plans. The
# filters are part of it, as lexemes of the entry's facets taken verbatim (::tsquery, no parser).
# Neither branch joins the item table: the entry carries the publication time (migration 0008),
# and joining every match cost 10–20 ms for a mid-frequency word; only the newest matches are
# joined, in _PAGE, to leave out an item taken down whose entry a crash left behind. The table
# has no parallel workers (also 0008): for statements this short, starting them cost more than
# they saved.
#
# Statements are joined from these constants and placeholders, never from values.
WINDOW = 5000

_NEWEST = "ORDER BY e.item_id DESC LIMIT %s"
# In the second branch the matches are few in the newest items, and walking the primary key
# backwards while testing every row against the query visited 16,000 rows for 500 matches
# (90 ms). "+ 0" keeps the planner off that walk: GIN finds all the matches at once and a
# top-N sort keeps the newest (15 ms for the same query).
_NEWEST_OF_ALL = "ORDER BY e.item_id + 0 DESC LIMIT %s"
_RECENT = "AND e.item_id > (SELECT max(item_id) FROM catalog_catalogsearchentry) - %s"
_PAGE = (
    "SELECT id, n FROM (SELECT m.id, m.published_at, COUNT(*) OVER () AS n,",
    "ROW_NUMBER() OVER (ORDER BY m.id DESC) AS newest,",
    f"ts_rank('{WEIGHTS}', d.document, to_tsquery('simple', %s)) AS score FROM m",
    # The vectors are read here, for the newest matches only: carried through the branches'
    # sorts, thousands of them were most of a common word's time.
    "JOIN catalog_catalogsearchentry AS d ON d.item_id = m.id",
    # An entry a crash left behind after a takedown must still never be returned: checked here,
    # on the few hundred newest matches, rather than on every match.
    "JOIN catalog_catalogitem AS i ON i.id = m.id AND i.withdrawn_at IS NULL) AS ranked",
    "WHERE newest <= %s ORDER BY score DESC, published_at DESC, id DESC LIMIT %s OFFSET %s",
)


def facets_tsquery(facets: list[str]) -> str:
    """``'y:2569' & 'k:pdf'``: lexemes for ``::tsquery``, which takes them as they are."""
    return " & ".join(quote(facet) for facet in facets)


def _matches(terms, filters, now, cap) -> tuple[list[str], list]:
    """``WITH recent …, m …``: the newest ``cap`` + 1 live matches, with their vectors."""
    facets = filters.facets()
    condition = "to_tsquery('simple', %s)"
    condition_params = [tsquery_text(terms)]
    if facets:
        condition = f"({condition} && %s::tsquery)"
        condition_params.append(facets_tsquery(facets))
    # Published by now, from the entry itself; "not taken down" is checked in _PAGE, on the
    # newest matches only (a takedown removes the entry anyway).
    candidates = [
        "SELECT e.item_id AS id, e.published_at FROM catalog_catalogsearchentry AS e",
        f"WHERE e.document @@ {condition} AND e.published_at <= %s",
    ]
    branch = [*condition_params, now]
    sql = [
        "WITH recent AS (",
        *candidates,
        _RECENT,
        _NEWEST,
        "), m AS (SELECT * FROM recent WHERE (SELECT count(*) FROM recent) > %s",
        "UNION ALL (",
        *candidates,
        "AND (SELECT count(*) FROM recent) <= %s",
        _NEWEST_OF_ALL,
        "))",
    ]
    params = [*branch, WINDOW, cap + 1, cap, *branch, cap, cap + 1]
    return sql, params


def search(connection, terms, filters, *, now, offset, limit, cap) -> tuple[list[int], int]:
    """One page of ids, best first, and the number of matches counted (at most ``cap`` + 1)."""
    sql, params = _matches(terms, filters, now, cap)
    page_params = [*params, tsquery_text(terms), cap, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(" ".join([*sql, *_PAGE]), page_params)
        rows = cursor.fetchall()
        if rows:
            return [row[0] for row in rows], rows[0][1]
        if offset == 0:
            return [], 0
        cursor.execute(" ".join([*sql, "SELECT COUNT(*) FROM m"]), params)
        return [], cursor.fetchone()[0]
