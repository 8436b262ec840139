"""The platform's own Redis connection, for small coordination keys (task idempotency marks,
relay kick de-duplication).

Django's cache and the Channels layer have their own clients; this one exists because those keys
need Redis primitives the cache API hides (SET NX with a value, compare-and-delete) and must not be
prefixed by the tenant (the cache's key function adds the current schema).

It fails fast: one immediate reconnect (a pooled connection may be stale after Redis restarted),
then the error. Callers on a write path (the bus kick) treat Redis as optional and log.
"""

from __future__ import annotations

import threading

import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.retry import Retry

_lock = threading.Lock()
_clients: dict[str, redis.Redis] = {}


def client() -> redis.Redis:
    """A process-wide Redis client for settings.REDIS_URL (read on each call, so a test that
    points REDIS_URL at another database gets a client for it)."""
    url = settings.REDIS_URL
    found = _clients.get(url)
    if found is not None:
        return found
    with _lock:
        found = _clients.get(url)
        if found is None:
            found = redis.Redis.from_url(
                url,
                socket_connect_timeout=1.0,
                socket_timeout=2.0,
                retry=Retry(NoBackoff(), 1),
                health_check_interval=30,
            )
            _clients[url] = found
        return found
