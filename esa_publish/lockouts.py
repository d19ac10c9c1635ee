"""Login lockouts kept in Redis (django-axes' cache handler), with a working ``axes_reset``.

axes' cache handler cannot list its keys, so ``manage.py axes_reset`` (reset everything) raised
``NotImplementedError`` on every office running with ``REDIS_URL``. Its keys are
``axes-<sha256>`` under the cache's own prefix and version; Redis can list those with ``SCAN``
(never ``KEYS``, which blocks the server), so resetting everything removes exactly this
office's lockout counts and nothing else that shares the server.
"""

from __future__ import annotations

import re

from axes.handlers.cache import AxesCacheHandler
from django.core.cache.backends.redis import RedisCache

_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")
BATCH = 500


class RedisLockoutHandler(AxesCacheHandler):
    """axes' cache handler, plus resetting every attempt when the cache is Redis."""

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False) -> int:
        if ip_address is None and username is None and isinstance(self.cache, RedisCache):
            return self._reset_all()
        return super().reset_attempts(
            ip_address=ip_address, username=username, ip_or_username=ip_or_username
        )

    def _reset_all(self) -> int:
        pattern = _GLOB_SPECIAL.sub(r"\\\1", self.cache.make_key("axes-")) + "*"
        # Django's RedisCache has no public way to list keys; its client is the redis-py one.
        client = self.cache._cache.get_client(write=True)
        removed, batch = 0, []
        for key in client.scan_iter(match=pattern, count=BATCH):
            batch.append(key)
            if len(batch) == BATCH:
                removed += client.delete(*batch)
                batch = []
        if batch:
            removed += client.delete(*batch)
        return removed
