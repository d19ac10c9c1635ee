"""Pages made to sit in an iframe on the office's main website (usually WordPress): plain HTML,
no scripts, framable only by the sites the administrator lists (CSP ``frame-ancestors``)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from csp.constants import NONE, SELF

from outreach.models import OutreachSettings

_HOST = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def clean_origin(value: str) -> str | None:
    """``value`` as an origin ``scheme://host[:port]`` for frame-ancestors, or None when it is
    not one (no wildcards, paths, quotes or spaces: nothing that could widen the policy)."""
    value = value.strip()
    if not value or any(ch in value for ch in " ;,'\"*"):
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not _HOST.match(host):
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def framable(response):
    """Let the listed sites (and only them) frame ``response``; no script runs in it."""
    origins = OutreachSettings.current().origins()
    response._csp_replace = {
        "frame-ancestors": [SELF, *origins] if origins else [NONE],
        "script-src": [NONE],
        "form-action": [NONE],
    }
    # X-Frame-Options cannot name sites; the CSP above is what browsers follow.
    response.xframe_options_exempt = True
    response["Cache-Control"] = "public, max-age=300"
    return response
