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


_read = threading.local()  # this thread's (version, when it was read), for the database version


def _database_version() -> int:
    ttl = getattr(settings, "CATALOG_VERSION_SECONDS", 1.0)
    now = time.monotonic()
    remembered = getattr(_read, "version", None)
    if remembered is not None and now - remembered[1] < ttl:
        return remembered[0]
    value = PageVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 1
    _read.version = (value, now)
    return value


def forget_version() -> None:
    """Read the version from the database on the next page (as after CATALOG_VERSION_SECONDS)."""
    _read.version = None


def current_version() -> int:
    if _version_in_database():
        return _database_version()
    cache = page_cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        # add() rather than set(): two processes starting at once must not reset each other.
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_version() -> None:
    """Make every cached page stale at once."""
    if _version_in_database():
        # One atomic UPDATE; the row is made on the first change (a flushed or new database
        # has none, and "no row" reads as version 1).
        if not PageVersion.objects.filter(pk=1).update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    PageVersion.objects.create(pk=1, value=2)
            except IntegrityError:  # another process made it first
                PageVersion.objects.filter(pk=1).update(value=F("value") + 1)
        forget_version()  # this process sees its own change at once
        return
    cache = page_cache()
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not there yet (or evicted): any new value differs from none
            cache.add(VERSION_KEY, 2, timeout=None)
    except UNREACHABLE:
        # A publication or a takedown must not fail for the cache. Pages stored before the
        # outage may show for up to TIMEOUT once Redis is back, unless it came back empty.
        logger.error("page cache version not raised: the cache is unreachable", exc_info=True)


@receiver(item_changed, dispatch_uid="catalog.cache.invalidate")
def _invalidate_on_change(sender, **kwargs) -> None:
    # The signal is sent inside the publishing transaction. Bumping at once drops the pages
    # cached before; a page rendered by another request while the transaction is still open
    # shows the old state and could be stored under the new version, so the version goes up
    # again once the change is committed.
    bump_version()
    transaction.on_commit(bump_version)


@receiver([post_save, post_delete], sender=Category, dispatch_uid="catalog.cache.category")
@receiver([post_save, post_delete], sender=Unit, dispatch_uid="catalog.cache.unit")
@receiver([post_save, post_delete], sender=Office, dispatch_uid="catalog.cache.office")
def _invalidate_on_setup_change(sender, raw=False, **kwargs) -> None:
    # Categories, units and the office are on the cached pages and in what ``remember`` keeps
    # (menus, the office of every page): an edit in the admin makes them stale like a takedown.
    # Not for rows loaded as they are (a restore, fixtures): the version row comes with them.
    if not raw:
        _invalidate_on_change(sender)


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


def remember(name: str, compute, timeout: int = TIMEOUT):
    """``compute()``, kept in the page cache under the current catalog version.

    For what a page derives from the whole live catalog and is the same on every page that
    shows it (a category's filter menus, the number of items a list has): publishing or taking
    down anything makes it stale together with the cached pages.
    """
    cache = page_cache()
    try:
        key = f"catalog:data:{current_version()}:{name}"
        value = cache.get(key)
    except UNREACHABLE:
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(*UNREACHABLE):
            cache.set(key, value, timeout)
    return value
