"""Per-visitor limits on the public pages that cost real work: Thai search and the JSON API.

Those pages are not (or not always) served from the page cache: a search runs the segmenter and a
full-text query, 15–50 ms of a worker's time. A scraper looping over them could keep every worker
busy and the catalog slow for citizens and ITA reviewers. Everything else public is cached or
cheap, and login has its own lockout (django-axes).

The counting is django-ratelimit's fixed window in the default cache. With ``REDIS_URL`` every
worker on every machine counts into the same Redis key; without it each gunicorn worker counts on
its own, so a visitor gets at most workers × the limit: still a bound, with nothing to install for
one office. The limits (``RATELIMIT_SEARCH``, ``RATELIMIT_API``) are generous on purpose: a school
or an office behind one NAT address shares one count.

A visitor is a signed-in account, or else a network address (:func:`client_ip`; an IPv6 visitor
by its /64, which one household or office usually holds whole). The cache never sees either:
the key is an HMAC of it under the site's SECRET_KEY (PDPA). A plain hash would not do, since
anyone could hash all four billion IPv4 addresses and read the keys back.

When the count cannot be kept (Redis unreachable, a key evicted) the request is served, and an
unreachable cache is logged: the limit protects the catalog and must never be what stops it.
"""

from __future__ import annotations

import functools
import ipaddress
import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from esa_publish.client_address import client_ip
from esa_publish.shared_cache import UNREACHABLE

logger = logging.getLogger(__name__)


def visitor_identity(request) -> str:
    """Who is asking, in clear: ``user:<pk>``, or ``address:<IPv4>`` / ``address:<IPv6 /64>``."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return f"address:{address}"
    if parsed.version == 6 and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped  # ::ffff:192.0.2.1 from a dual-stack socket is an IPv4 visitor
    if parsed.version == 6:
        return "address:" + str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return f"address:{parsed}"


def visitor(group: str, request) -> str:
    """The rate-limit key (django-ratelimit's ``key`` callable): the visitor, keyed by an HMAC."""
    return salted_hmac("esa_publish.throttle", visitor_identity(request)).hexdigest()


def seconds_to_wait(request, group: str, rate: str) -> int | None:
    """Count this request; the seconds until the visitor may ask again when over ``rate``
    ("120/m"), else None."""
    try:
        usage = get_usage(request, group=group, key=visitor, rate=rate, increment=True)
    except UNREACHABLE as error:
        logger.warning("rate limit not counted: the cache is unreachable (%s)", error)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, usage["time_left"])


def _refused(request, seconds: int, as_json: bool):
    message = _("มีคำขอจากเครื่องของท่านถี่เกินไป กรุณารอประมาณ %(seconds)s วินาทีแล้วลองใหม่") % {
        "seconds": seconds
    }
    if as_json:
        response = JsonResponse(
            {"detail": message}, status=429, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


def rate_limited(group: str, setting: str, *, as_json: bool = False):
    """Refuse a view with 429 once the visitor passes the rate in ``settings.<setting>``.

    The setting is read on every request, so a changed limit (or a test's) applies at once.
    Requests are counted before the view runs, cached pages included: a cached answer is cheap,
    but a scraper that hits it is still the same scraper.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            seconds = seconds_to_wait(request, group, getattr(settings, setting))
            if seconds is not None:
                return _refused(request, seconds, as_json)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
