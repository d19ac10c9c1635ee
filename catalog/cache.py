"""A short-lived cache of what anonymous visitors read most: home, categories, the API lists.

Keys carry a catalog *version* kept in the cache itself. Publishing or taking down an item sends
:data:`catalog.signals.item_changed`; the version goes up (at once, and again after the commit)
and every page cached before is simply never asked for again (it expires on its own). That is
cheaper and harder to get wrong than working out which pages an item appears on.

A page is stored only when it is the same for every anonymous visitor: no session or messages
cookie on the request, and nothing per-request in the HTML (a CSRF token or a CSP nonce would be
wrong for the next visitor, so a page that used either is not stored). Signed-in staff always get
a fresh page.

Where the version lives depends on the cache. With Redis, or any cache shared by all processes
(``CACHES["catalog"]`` if defined, else the default one), it is a key in that cache. With the
in-process memory cache (the default without ``REDIS_URL``) each gunicorn worker has its own
copies, so the version is a row in the database (:class:`catalog.models.PageVersion`) that every
worker reads. Reading it on every cached page halved the rate at which a worker serves them (a
database round trip against a page copied from memory), so each process keeps what it read for
``CATALOG_VERSION_SECONDS`` (1 s): a takedown is out of every worker's lists within a second,
and a busy worker asks the database once a second rather than once a page.

A second version, the *setup* version, moves only when a category, a unit or the office is
edited (which also moves the catalog version). What depends on the setup alone is kept under it
(``remember(..., until=SETUP)``) and so outlives publications.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import logging
import re
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from catalog.models import Category, PageVersion
from catalog.signals import item_changed
from esa_publish.office.models import Office, Unit
from esa_publish.shared_cache import UNREACHABLE

logger = logging.getLogger(__name__)

TIMEOUT = 5 * 60
VERSION_KEY = "catalog:pages:version"
_MARKERS_OF_PERSONAL_HTML = (b"csrfmiddlewaretoken", b'nonce="')
# Stored pages are gzipped once, when stored, and served compressed to every client that asks
# (esa_publish/compression.py compresses the other anonymous responses on the way out).
GZIP_LEVEL = 5
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def page_cache():
    return caches["catalog"] if "catalog" in settings.CACHES else caches["default"]


def _version_in_database() -> bool:
    """True when the page cache is private to this process (so it cannot carry the version)."""
    return isinstance(page_cache(), LocMemCache | DummyCache)


# Two versions. CATALOG moves with anything public: a publication, a takedown, a correction, and
# a setup edit. SETUP moves only with a setup edit (a category, unit or the office): what
# depends on nothing else (a category found by its slug, the office, the search page's menus)
# is kept across publications, so the first page after one does not look them up again.
CATALOG, SETUP = 1, 2  # also the PageVersion rows' primary keys
_KEYS = {CATALOG: VERSION_KEY, SETUP: "catalog:setup:version"}
_PREFIXES = {CATALOG: "catalog:data", SETUP: "catalog:setup"}

_read = threading.local()  # this thread's ({scope: version}, when it was read), database only


def _database_versions() -> dict[int, int]:
    ttl = getattr(settings, "CATALOG_VERSION_SECONDS", 1.0)
    now = time.monotonic()
    remembered = getattr(_read, "versions", None)
    if remembered is not None and now - remembered[1] < ttl:
        return remembered[0]
    # Both rows in one query; a missing row (a new database, before the first change) reads as 1.
    rows = dict(PageVersion.objects.filter(pk__in=_KEYS).values_list("pk", "value"))
    versions = {scope: rows.get(scope, 1) for scope in _KEYS}
    _read.versions = (versions, now)
    return versions


def forget_version() -> None:
    """Read the versions from the database on the next page (as after CATALOG_VERSION_SECONDS)."""
    _read.versions = None


def current_version(scope: int = CATALOG) -> int:
    if _version_in_database():
        return _database_versions()[scope]
    cache = page_cache()
    version = cache.get(_KEYS[scope])
    if version is None:
        # add() rather than set(): two processes starting at once must not reset each other.
        cache.add(_KEYS[scope], 1, timeout=None)
        version = cache.get(_KEYS[scope], 1)
    return version


def bump_version(scope: int = CATALOG) -> None:
    """Make every cached page (CATALOG) or everything kept until a setup edit (SETUP) stale."""
    if _version_in_database():
        # One atomic UPDATE; the row is made on the first change (a flushed or new database
        # has none, and "no row" reads as version 1).
        if not PageVersion.objects.filter(pk=scope).update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    PageVersion.objects.create(pk=scope, value=2)
            except IntegrityError:  # another process made it first
                PageVersion.objects.filter(pk=scope).update(value=F("value") + 1)
        forget_version()  # this process sees its own change at once
        return
    cache = page_cache()
    try:
        try:
            cache.incr(_KEYS[scope])
        except ValueError:  # not there yet (or evicted): any new value differs from none
            cache.add(_KEYS[scope], 2, timeout=None)
    except UNREACHABLE:
        # A publication or a takedown must not fail for the cache. Pages stored before the
        # outage may show for up to TIMEOUT once Redis is back, unless it came back empty.
        logger.error("page cache version not raised: the cache is unreachable", exc_info=True)


def _bump_now_and_after_commit(scope: int) -> None:
    # Sent inside the publishing transaction. Bumping at once drops the pages cached before; a
    # page rendered by another request while the transaction is still open shows the old state
    # and could be stored under the new version, so the version goes up again after the commit.
    bump_version(scope)
    transaction.on_commit(lambda: bump_version(scope))


@receiver(item_changed, dispatch_uid="catalog.cache.invalidate")
def _invalidate_on_change(sender, **kwargs) -> None:
    _bump_now_and_after_commit(CATALOG)


@receiver([post_save, post_delete], sender=Category, dispatch_uid="catalog.cache.category")
@receiver([post_save, post_delete], sender=Unit, dispatch_uid="catalog.cache.unit")
@receiver([post_save, post_delete], sender=Office, dispatch_uid="catalog.cache.office")
def _invalidate_on_setup_change(sender, raw=False, **kwargs) -> None:
    # Categories, units and the office are on the cached pages and in what ``remember`` keeps
    # (menus, the office of every page): an edit in the admin makes them stale like a takedown.
    # Not for rows loaded as they are (a restore, fixtures): the version rows come with them.
    if not raw:
        _bump_now_and_after_commit(SETUP)
        _bump_now_and_after_commit(CATALOG)


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not request.user.is_authenticated


def _key(request, version: int) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"catalog:page:{version}:{get_language()}:{path}"


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "csp_nonce", None):  # CheckableLazyObject: true once the nonce was read
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    return not any(marker in response.content for marker in _MARKERS_OF_PERSONAL_HTML)


def _gzipped(content: bytes) -> bytes:
    """``content`` gzipped, or b"" when that is not smaller (nothing to gain)."""
    packed = gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)
    return packed if len(packed) < len(content) else b""


def _accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _from_cache(request, key, content, content_type, packed=None) -> HttpResponse:
    """The stored page, gzipped for a client that takes it. The gzipped copy is made the first
    time such a client asks (``packed`` None until then) and stored beside the page."""
    if packed is None and _accepts_gzip(request):
        packed = _gzipped(content)
        with contextlib.suppress(*UNREACHABLE):
            page_cache().set(key, (content, content_type, packed), TIMEOUT)
    if packed and _accepts_gzip(request):
        response = HttpResponse(packed, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(content, content_type=content_type)
    patch_vary_headers(response, ("Accept-Encoding",))
    response["X-Catalog-Cache"] = "hit"
    return response


def cache_public_page(view):
    """Serve ``view``'s page from the cache for anonymous visitors, storing it on a miss."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        cache = page_cache()
        try:
            key = _key(request, current_version())
            hit = cache.get(key)
        except UNREACHABLE as error:
            logger.warning("page served uncached: the cache is unreachable (%s)", error)
            return view(request, *args, **kwargs)
        if hit is not None:
            return _from_cache(request, key, *hit)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _storable(request, response):
            # Compressed now only for a client that takes gzip (every browser does).
            packed = _gzipped(response.content) if _accepts_gzip(request) else None
            try:
                cache.set(key, (response.content, response["Content-Type"], packed), TIMEOUT)
            except UNREACHABLE as error:
                logger.warning("page not stored: the cache is unreachable (%s)", error)
            if packed:
                response.content = packed
                response["Content-Encoding"] = "gzip"
            patch_vary_headers(response, ("Accept-Encoding",))
        return response

    return wrapper


def remember(name: str, compute, timeout: int = TIMEOUT, *, until: int = CATALOG):
    """``compute()``, kept in the page cache under the current version of ``until``.

    For what a page derives from the whole live catalog and is the same on every page that
    shows it (a category's filter menus, the number of items a list has): publishing or taking
    down anything makes it stale together with the cached pages. ``until=SETUP`` for what only
    a setup edit changes (the office, a category by its slug, the search menus).
    """
    cache = page_cache()
    try:
        key = f"{_PREFIXES[until]}:{current_version(until)}:{name}"
        value = cache.get(key)
    except UNREACHABLE:
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(*UNREACHABLE):
            cache.set(key, value, timeout)
    return value
