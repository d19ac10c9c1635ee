"""System checks for settings that are valid on their own but wrong together in production."""

from __future__ import annotations

import importlib.util

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_proxy_for_rate_limits(app_configs, **kwargs):
    """Behind the nginx of DEPLOY.md every request comes from 127.0.0.1. Without
    TRUSTED_PROXY_COUNT the whole office's visitors then share one search limit (one scraper
    blocks search for everyone) and login lockouts count every attempt from one address."""
    if settings.DEBUG or getattr(settings, "TRUSTED_PROXY_COUNT", 0) > 0:
        return []
    return [
        checks.Warning(
            "TRUSTED_PROXY_COUNT is 0: behind a reverse proxy every visitor would share one "
            "rate limit and one login-lockout address.",
            hint="Set TRUSTED_PROXY_COUNT=1 behind nginx (docs/DEPLOY.md). If gunicorn faces "
            "the network itself, set SILENCED_SYSTEM_CHECKS=esa_publish.W001 instead.",
            id="esa_publish.W001",
        )
    ]


@checks.register()
def check_pdf_aes(app_configs, **kwargs):
    """pypdf opens AES-256 encrypted PDFs (Acrobat's and Word's default) only with
    ``cryptography``; without it such uploads cannot be checked for a password or for active
    content (requests/uploads/pdf.py)."""
    if importlib.util.find_spec("cryptography") is not None:
        return []
    return [
        checks.Warning(
            "The cryptography package is missing: AES-256 encrypted PDFs are accepted unread.",
            hint="Install the locked dependencies again (make install).",
            id="esa_publish.W010",
        )
    ]
