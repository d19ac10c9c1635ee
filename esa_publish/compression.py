"""gzip for what anonymous visitors read: HTML pages, the JSON API, Atom feeds, sitemaps.

Compression is done here, in Django, rather than by nginx, because only the application knows
which responses are safe to compress. BREACH recovers a secret from a compressed response that
also reflects something the attacker chose (a search query, a ``next`` address). So a response
is compressed only when it carries no secret at all:

- the request has no session cookie (signed-in staff's pages hold their names, their requests,
  a CSRF token) and is not authenticated;
- the body holds no CSRF token and no CSP nonce (the login page is anonymous but has a token);
- it is a text type worth compressing, not already encoded, not streamed (files, photos and
  memos are served as they are; static files come pre-compressed from whitenoise).

Pages from the catalog's page cache are compressed once, when stored (:mod:`catalog.cache`), and
leave with ``Content-Encoding`` set, so this middleware passes them by without spending CPU.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE_TYPES = (
    "text/html",
    "text/plain",
    "text/csv",
    "text/xml",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
)
SECRET_MARKERS = (b"csrfmiddlewaretoken", b'nonce="')


def anonymous_request(request) -> bool:
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def compressible(request, response) -> bool:
    if response.streaming or response.has_header("Content-Encoding"):
        return False
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if content_type not in COMPRESSIBLE_TYPES:
        return False
    if not anonymous_request(request):
        return False
    return not any(marker in response.content for marker in SECRET_MARKERS)


class AnonymousGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for the responses :func:`compressible` allows and no other."""

    def process_response(self, request, response):
        if not compressible(request, response):
            return response
        return super().process_response(request, response)
