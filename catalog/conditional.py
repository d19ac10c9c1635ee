"""Conditional GET for the machine-read catalog (JSON API, feeds, DCAT): ETag, Last-Modified,
304 Not Modified, and a stated Cache-Control.

Harvesters and feed readers poll these addresses every few minutes; most polls find nothing new.
A few index lookups answer "when did the public catalog last change": the newest publication
that is live by now and the newest takedown (indexes ``item_live_latest``, ``item_withdrawn``),
the creation of the newest row (primary key; covers imports, which keep their old publication
dates), and the office profile's last edit (feed titles and the DCAT publisher come
from it). Every change a visitor can see stamps one of these with the time it happened: a
publication (including a correction, which marks the old item in the same transaction), a
scheduled item going live, a takedown. Renaming a category is the exception; it shows after
``MAX_AGE`` at the latest for clients that do not revalidate, and at the next publication for
those that do.

Django's ``condition`` decorator does the comparison and the 304; the value is computed once per
request. The ETag carries the language because feed titles are translated.
"""

from __future__ import annotations

import functools

from django.db.models import Subquery
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import condition

from catalog.models import CatalogItem
from esa_publish.office.models import Office

#: Seconds a client or shared cache may reuse an answer without asking again (the page cache's).
MAX_AGE = 5 * 60

_ATTR = "_catalog_last_change"


def last_change():
    """The time of the last change a visitor of the public catalog could notice, or None.

    One query: the item lookups ride as subqueries on the office's row (every installation has
    one once the admin fills in its profile; before that, three small queries).
    """
    now = timezone.now()
    items = CatalogItem.objects.order_by()
    published = items.filter(withdrawn_at__isnull=True, published_at__lte=now).order_by(
        "-published_at"
    )
    withdrawn = items.filter(withdrawn_at__isnull=False).order_by("-withdrawn_at")
    # An imported item keeps its original publication date; its row's creation is the change.
    created = items.order_by("-pk")
    row = (
        Office.objects.order_by("pk")
        .annotate(
            published=Subquery(published.values("published_at")[:1]),
            withdrawn=Subquery(withdrawn.values("withdrawn_at")[:1]),
            created=Subquery(created.values("created_at")[:1]),
        )
        .values_list("updated_at", "published", "withdrawn", "created")
        .first()
    )
    if row is None:
        row = (
            published.values_list("published_at", flat=True).first(),
            withdrawn.values_list("withdrawn_at", flat=True).first(),
            created.values_list("created_at", flat=True).first(),
        )
    stamps = [stamp for stamp in row if stamp is not None]
    return max(stamps) if stamps else None


def _last_change_for(request, *args, **kwargs):
    if not hasattr(request, _ATTR):
        setattr(request, _ATTR, last_change())
    return getattr(request, _ATTR)


def _etag(request, *args, **kwargs) -> str | None:
    stamp = _last_change_for(request)
    if stamp is None:
        return None
    return f"{stamp.timestamp():.6f}-{get_language() or ''}"


def conditional_public(view):
    """``view`` with ETag/Last-Modified from :func:`last_change`, 304 when the client's copy is
        current, and ``Cache-Control: public, max-age=MAX_AGE`` on its answers (not on errors: a
    404 for an item about to go live must not be kept)."""
    conditional = condition(etag_func=_etag, last_modified_func=_last_change_for)(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if response.status_code in (200, 304) and not response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    return wrapper
