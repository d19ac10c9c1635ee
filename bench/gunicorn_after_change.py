"""gunicorn settings for bench/public_pages.py's "after a change" rows (not for production).

The production settings, plus one hook: a request whose query string holds ``fresh=`` is served
as if something had just been published, i.e. under a catalog version nobody has used yet, so
neither the page cache nor anything kept per version (``catalog.cache.remember``) answers. That
is the first visitor of each page after a publication or a takedown, the cost the "cold" rows
(a new query string, the per-version data still kept) do not show. Only the catalog version
moves: what a publication leaves alone (the setup of categories, units and the office) stays.

The version is read from the database (the benchmark has no Redis), and each thread keeps what it
read for a second (``catalog.cache._read``); the hook puts an unused number there instead and
forgets it after the request, so the next request reads the real version again.

    gunicorn -c bench/gunicorn_after_change.py
"""

from __future__ import annotations

import itertools
import os
import time

from esa_publish.gunicorn_conf import *  # noqa: F403 - the production settings and hooks

_unused = itertools.count((os.getpid() << 24) + 10**9)


def _fresh(req) -> bool:
    return "fresh=" in (req.query or "")


def pre_request(worker, req) -> None:
    if _fresh(req):
        from catalog import cache

        versions = {**cache._database_versions(), cache.CATALOG: next(_unused)}
        cache._read.versions = (versions, time.monotonic())


def post_request(worker, req, environ, resp) -> None:
    if _fresh(req):
        from catalog import cache

        cache.forget_version()
