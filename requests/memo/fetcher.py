"""The only way the memo renderer may read anything: an allow-listed WeasyPrint URL fetcher.

WeasyPrint's own fetcher opens every URL it meets, ``file://`` and ``http://`` included. The memo
is built from text typed by users; the template escapes that text, so no user markup should ever
reach WeasyPrint as markup. This fetcher is the second wall: should a URL slip through anyway
(a template change, a WeasyPrint quirk) it can neither read local secrets nor make the server
send requests to the network.

Allowed are ``data:`` URLs (decoded in memory, used for the office emblem) and ``file://`` URLs
whose real path, after resolving symlinks and ``..``, lies inside one of the allowed directories
(the Sarabun font package and the project's ``static/``). Everything else is refused before any
disk or network access.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from urllib import request
from urllib.parse import urlsplit

import fontpkg_sarabun
from django.conf import settings
from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse

logger = logging.getLogger(__name__)

FONT_DIR = Path(fontpkg_sarabun.__file__).resolve().parent / "files"


class RefusedURL(ValueError):
    """Raised for a URL the memo renderer must not open.

    A plain (non-fatal) error for WeasyPrint: it logs it and renders without the resource, which
    for anything not in our own template means rendering the memo as if the URL were absent.
    """


def default_allowed_dirs() -> tuple[Path, ...]:
    """The font package and the project's static directory."""
    return (FONT_DIR, Path(settings.BASE_DIR) / "static")


class MemoURLFetcher(URLFetcher):
    """A :class:`weasyprint.URLFetcher` that opens only ``data:`` URLs and allow-listed files.

    It never calls the parent's ``fetch``: urllib's opener (HTTP, FTP, proxies, redirects) is
    never reached, so no handler can be talked into a network request.
    """

    def __init__(self, allowed_dirs: Iterable[Path | str] | None = None, **kwargs):
        kwargs.setdefault("allowed_protocols", ("data", "file"))
        kwargs.setdefault("allow_redirects", False)
        super().__init__(**kwargs)
        dirs = [Path(d) for d in (default_allowed_dirs() if allowed_dirs is None else allowed_dirs)]
        # Resolve the roots too: the virtualenv or the checkout may sit behind a symlink.
        self.allowed_dirs = tuple(d.resolve() for d in dirs)
        # Spellings accepted by the first, purely textual check (which touches no disk).
        self._lexical_roots = tuple(
            {Path(os.path.abspath(d)) for d in dirs} | set(self.allowed_dirs)
        )

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._fetch_data(url)
        if scheme == "file":
            return self._fetch_file(url)
        raise self._refuse(url, "only data: and allow-listed file: URLs are fetched")

    def _fetch_data(self, url: str) -> URLFetcherResponse:
        # urllib's DataHandler alone, outside any opener: decoding only, no other handler.
        response = request.DataHandler().data_open(request.Request(url))  # noqa: S310 (data: only)
        return URLFetcherResponse(url, response.read(), dict(response.headers.items()))

    def _fetch_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self._refuse(url, "file: URL names a host")
        path = self.allowed_path(request.url2pathname(parts.path))
        if path is None:
            raise self._refuse(url, "outside the allowed directories")
        # O_NOFOLLOW: the last component cannot have been swapped for a symlink since the check.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise self._refuse(url, "not a regular file")
            body = os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body, {"Content-Type": mime_type})

    def allowed_path(self, raw_path: str | os.PathLike) -> Path | None:
        """The real path of ``raw_path`` if it is an existing file inside an allowed directory.

        A path that is not even spelled as lying inside a root is refused without touching the
        disk; one that is gets resolved (symlinks, ``..``) and checked again.
        """
        lexical = Path(os.path.normpath(os.path.abspath(raw_path)))
        if not any(lexical.is_relative_to(root) for root in self._lexical_roots):
            return None
        try:
            real = Path(raw_path).resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if any(real.is_relative_to(root) for root in self.allowed_dirs):
            return real
        return None

    def _refuse(self, url: str, reason: str) -> RefusedURL:
        shown = url if len(url) <= 200 else url[:200] + "…"
        logger.warning("memo renderer refused %s: %s", shown, reason)
        return RefusedURL(f"{reason}: {shown}")
