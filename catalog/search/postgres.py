"""Reading the index on PostgreSQL: a tsquery against the entries' generated tsvector column.

The column (created by migration 0003) weights the title A, the summary B and the captions C, in
the 'simple' configuration: the words are already cut and normalized by us, and Thai has no
stemming to apply. The GIN index on it answers ``@@``; ``ts_rank`` reads the stored vector, so
ranking never re-parses text.

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
    """``แผนปฏิบัติการ`` → ``'แผน' & ('ปฏิบัติการ' | ('ปฏิบัติ' & 'การ'))`` (see sqlite.py)."""
    groups = []
    for term in terms:
        options = [_sequence(tokens, prefix) for tokens, prefix in term.alternatives]
        groups.append(options[0] if len(options) == 1 else "(" + " | ".join(options) + ")")
    return " & ".join(groups)


# Only the newest `cap` + 1 matches are ranked (see catalog.search.search), and finding them
# must not cost a visit to every match: a word in a third of 100,000 items means 35,000 heap
# rows, about 0.4 s, since GIN returns matches in no useful order. So the newest WINDOW items are
# tried first (a backward walk of the primary key, or GIN ANDed with the id range, whichever the
# planner prefers): a common word fills the quota there. Only when it does not, i.e. when the
# word is rare enough for its matches to be few, does the second branch ask GIN for all of them;
# PostgreSQL skips that branch entirely otherwise (a one-time filter on an InitPlan). Either way
# the statement returns exactly the newest matches. The query text is parsed once, in `q`.
# Statements are joined from these constants and the filters' placeholders, never from values.
WINDOW = 5000

_CANDIDATES = (
    "SELECT i.id, i.published_at, e.document",
    "FROM q, catalog_catalogsearchentry AS e JOIN catalog_catalogitem AS i ON i.id = e.item_id",
    "WHERE e.document @@ q.query AND i.published_at <= %s AND i.withdrawn_at IS NULL",
)
_RECENT = "AND e.item_id > (SELECT max(item_id) FROM catalog_catalogsearchentry) - %s"
_NEWEST = "ORDER BY e.item_id DESC LIMIT %s"
_PAGE = (
    "SELECT id, n FROM (SELECT m.id, m.published_at, COUNT(*) OVER () AS n,",
    "ROW_NUMBER() OVER (ORDER BY m.id DESC) AS newest,",
    f"ts_rank('{WEIGHTS}', m.document, q.query) AS score FROM m, q) AS ranked",
    "WHERE newest <= %s ORDER BY score DESC, published_at DESC, id DESC LIMIT %s OFFSET %s",
)


def _matches(filters, now, cap, query_text) -> tuple[list[str], list]:
    """``WITH q …, recent …, m …``: the newest ``cap`` + 1 live matches, with their vectors."""
    clauses, filter_params = filters.where()
    candidates = [*_CANDIDATES, *("AND " + clause for clause in clauses)]
    sql = [
        "WITH q AS MATERIALIZED (SELECT to_tsquery('simple', %s) AS query),",
        "recent AS (",
        *candidates,
        _RECENT,
        _NEWEST,
        "), m AS (SELECT * FROM recent WHERE (SELECT count(*) FROM recent) > %s",
        "UNION ALL (",
        *candidates,
        "AND (SELECT count(*) FROM recent) <= %s",
        _NEWEST,
        "))",
    ]
    per_branch = [now, *filter_params]
    params = [query_text, *per_branch, WINDOW, cap + 1, cap, *per_branch, cap, cap + 1]
    return sql, params


def search(connection, terms, filters, *, now, offset, limit, cap) -> tuple[list[int], int]:
    """One page of ids, best first, and the number of matches counted (at most ``cap`` + 1)."""
    sql, params = _matches(filters, now, cap, tsquery_text(terms))
    with connection.cursor() as cursor:
        cursor.execute(" ".join([*sql, *_PAGE]), [*params, cap, limit, offset])
        rows = cursor.fetchall()
        if rows:
            return [row[0] for row in rows], rows[0][1]
        if offset == 0:
            return [], 0
        cursor.execute(" ".join([*sql, "SELECT COUNT(*) FROM m"]), params)
        return [], cursor.fetchone()[0]
