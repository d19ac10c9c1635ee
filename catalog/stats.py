"""Counting item page views and file downloads per item and day, for the quarterly reports.

Only two numbers per item and day are kept (:class:`catalog.models.DailyStat`): no address, no
cookie, no user agent, nothing that could tell one visitor from another, so the counts are not
personal data under the PDPA. Requests that are plainly not a person reading are left out:
HEAD requests, clients that send no User-Agent, and crawlers and link-preview fetchers (LINE and
Facebook fetch a page to draw its preview card every time someone pastes the link).

A hit costs one UPDATE on every request but the first of the day, which adds one INSERT. The
increment is done by the database (``views = views + 1``), so concurrent hits never lose a count.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from catalog.models import DailyStat

# Lower-case fragments of User-Agent strings of robots, preview fetchers and scripted clients.
BOT_MARKERS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "facebookexternalhit",
    "facebookcatalog",
    "line-poker",
    "embedly",
    "preview",
    "curl/",
    "wget/",
    "python-",
    "go-http-client",
    "okhttp",
    "java/",
    "headlesschrome",
    "monitor",
    "uptime",
)

VIEWS = "views"
DOWNLOADS = "downloads"


def is_bot(user_agent: str) -> bool:
    """True for an empty User-Agent or one that names itself a robot or preview fetcher."""
    agent = (user_agent or "").strip().lower()
    return not agent or any(marker in agent for marker in BOT_MARKERS)


def counts(request) -> bool:
    """Whether this request is a person reading or downloading: a GET from a non-robot."""
    return request.method == "GET" and not is_bot(request.META.get("HTTP_USER_AGENT", ""))


def bump(item_id: int, field: str, *, day=None) -> None:
    """Add one to ``field`` of ``item_id``'s row for ``day`` (today in the office's time zone).

    UPDATE first, since the row exists for every hit but the day's first. When it does not, the
    INSERT may lose a race with a concurrent first hit; the unique constraint turns that into an
    IntegrityError, and the other request's row is then updated instead. The savepoint keeps a
    failed INSERT from spoiling an enclosing transaction on PostgreSQL.
    """
    if field not in (VIEWS, DOWNLOADS):
        raise ValueError(f"unknown counter {field!r}")
    day = day or timezone.localdate()
    rows = DailyStat.objects.filter(item_id=item_id, day=day)
    if rows.update(**{field: F(field) + 1}):
        return
    try:
        with transaction.atomic():
            DailyStat.objects.create(item_id=item_id, day=day, **{field: 1})
    except IntegrityError:
        rows.update(**{field: F(field) + 1})


def count_view(request, item) -> None:
    if counts(request):
        bump(item.pk, VIEWS)


def count_download(request, item) -> None:
    if counts(request):
        bump(item.pk, DOWNLOADS)
