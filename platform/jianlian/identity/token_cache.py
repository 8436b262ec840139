"""Bearer tokens resolved from Redis instead of PostgreSQL, with revocation still immediate.

An API request signed in with `Authorization: Bearer jl_…` used to open a database connection
(under ASGI each request opens its own; on a busy machine that is ~10 ms) and look the token up,
even for a request that touches no other data. The token's user is now kept in the shared Redis
cache under the token's SHA-256 (the same hash the database stores; the token itself is never
kept), for at most TTL seconds.

Immediate revocation holds across every web process because every write that can end a token's
validity replaces the cached entry with a tombstone, and an entry is only ever *added* (never
overwritten), so a request that read the database just before a revocation committed cannot put
the old answer back:
- any ApiToken write: `save()`/`delete()` (signals) and queryset `update()`/`delete()`
  (`ApiTokenQuerySet`), e.g. signOut, expiry changes, a leaver's tokens;
- any User write: `save()` (signal) and queryset `update()`/`delete()` (`UserQuerySet`), e.g. a
  disabled account or a leaver whose sign-in ends; the user's tokens are tombstoned;
- each tombstone is written at once and again after the surrounding transaction commits.
Only raw SQL bypasses this; the TTL bounds how long such a change can go unseen.
"""

from __future__ import annotations

import copy
from datetime import datetime

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

ALIAS = "shared"  # one key space for every process and every tenant (no per-schema key prefix)
TTL = 60
_TOMBSTONE = "revoked"


_backend = None


def _cache():
    """One client per process: `caches[...]` is per thread, and under ASGI every request runs in a
    thread context of its own, so it would open a new Redis connection for each request (the
    client's pool is thread-safe)."""
    global _backend
    if _backend is None:
        _backend = caches.create_connection(ALIAS)
    return _backend


def _key(key_hash: str) -> str:
    return f"identity:token:{key_hash}"


def cached_user(key_hash: str):
    """(user, last_used_at) for a valid cached token, or None when the database must answer."""
    entry = _cache().get(_key(key_hash))
    if not isinstance(entry, tuple):
        return None
    user, expires_at, last_used_at = entry
    if expires_at <= timezone.now():
        return None
    return user, last_used_at


# Never copied into Redis: a cached user loads these from the database if something reads them
# (Django's deferred fields), e.g. a password change checking the old password.
SECRET_FIELDS = ("password", "id_number", "id_number_index")


def remember(key_hash: str, user, expires_at: datetime, last_used_at: datetime | None) -> None:
    """Keep a token the database has just found valid (unless a tombstone stands in its place)."""
    ttl = min(TTL, max(1, int((expires_at - timezone.now()).total_seconds())))
    kept = copy.copy(user)
    kept.__dict__ = {k: v for k, v in user.__dict__.items() if k not in SECRET_FIELDS}
    _cache().add(_key(key_hash), (kept, expires_at, last_used_at), ttl)


def forget(key_hashes) -> None:
    """Tombstone these tokens now and once more after the current transaction commits."""
    keys = {_key(h): _TOMBSTONE for h in key_hashes}
    if not keys:
        return

    def write():
        _cache().set_many(keys, TTL)

    write()
    transaction.on_commit(write)


def forget_users(user_ids) -> None:
    from jianlian.identity.models import ApiToken

    user_ids = list(user_ids)
    if user_ids:
        forget(ApiToken.objects.filter(user_id__in=user_ids).values_list("key_hash", flat=True))
