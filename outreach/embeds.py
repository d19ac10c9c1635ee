"""Pages made to sit in an iframe on the office's main website (usually WordPress): plain HTML,
no scripts, framable only by the sites the administrator lists (CSP ``frame-ancestors``)."""

from __future__ import annotations

from csp.constants import NONE, SELF

from outreach.models import OutreachSettings


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
