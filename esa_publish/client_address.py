"""Which network address a request came from, the same answer for login lockouts and rate limits.

Behind the reverse proxy of docs/DEPLOY.md every request reaches gunicorn from 127.0.0.1, so
``REMOTE_ADDR`` alone would put every visitor in one bucket: one citizen's burst of searches
would limit them all, and one attacker's failed logins would lock an account out for everybody.
The visitor's address is the one the proxy appended to ``X-Forwarded-For``.

Only the entries our own proxies appended can be trusted: anything to their left came from the
visitor and can say anything. ``TRUSTED_PROXY_COUNT`` says how many proxies stand in front of
gunicorn (1 for the nginx of DEPLOY.md, 2 with a load balancer in front of it, 0 when gunicorn
faces the network), and the address is read that many entries from the right. This is why the
rule is written here rather than taken from django-ipware: its default reads the left-most entry,
which the visitor controls.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_ip(request) -> str:
    """The visitor's address as our proxies saw it; ``REMOTE_ADDR`` when no proxy is trusted or
    the header is missing, short or malformed (a request that bypassed the proxy)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    return candidate if _is_address(candidate) else remote
