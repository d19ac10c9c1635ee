"""What a failing shared cache raises, for the code that must keep working without it.

With ``REDIS_URL`` the default cache is Redis on another process or machine, and a restart or an
outage of it raises ``redis.RedisError`` (or a plain ``OSError`` from the socket) from any cache
call. The public pages and the rate limits catch these and carry on uncached or uncounted: the
cache makes the catalog faster, it must never be what takes it down.
"""

from __future__ import annotations

from redis.exceptions import RedisError

UNREACHABLE = (RedisError, OSError)
