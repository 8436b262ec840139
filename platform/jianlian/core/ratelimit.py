"""Fixed-window rate limits in Redis, shared by every process and every tenant endpoint.

Keys are the platform's own (not Django's cache, whose key function prefixes the current
tenant's schema): a limit per address or per mobile number must hold whichever tenant's address
the caller uses.
"""

from __future__ import annotations


def hit(name: str, subject: str | None, limit: int, window_seconds: int) -> bool:
    """Count one use of `name` by `subject`; True when that use is over `limit` uses in the
    current window of `window_seconds` (the window starts at the first use). A None subject
    (no known address, e.g. a management command) is never limited."""
    if not subject:
        return False
    from jianlian.core.redis_client import client

    return count_in_window(client(), f"jianlian:rate:{name}:{subject}", window_seconds) > limit


def count_in_window(r, key: str, window_seconds: int) -> int:
    """INCR `key`, starting its window on the first count (EXPIRE … NX needs Redis 7; the
    embedded Redis is 6.2). Returns the count so far in this window."""
    pipe = r.pipeline()
    pipe.incr(key)
    pipe.ttl(key)
    count, ttl = pipe.execute()
    if ttl is None or ttl < 0:
        r.expire(key, window_seconds)
    return count
