"""Sign-in lockout per account and per source address, kept in Redis.

Chosen over django-axes because axes keys an account by the string typed into the form, so the
same person signing in by mobile and by username would get two separate counters; here the
counter follows the resolved account (or, for unknown identifiers, the identifier's digest, so a
caller cannot tell known accounts from unknown ones by the lockout behaviour).

The counters live in the platform's own Redis keys, not in Django's cache: the cache's key
function prefixes the current tenant's schema, which made every endpoint (`/graphql/`,
`/t/<slug>/graphql/`, `X-Tenant`) count separately, so 4 guesses on each of 10 tenants locked
nothing. One account and one address have one counter wherever they sign in.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass
class Lock:
    until: float

    @property
    def seconds_left(self) -> int:
        return max(1, math.ceil(self.until - time.time()))

    def message(self) -> str:
        local = timezone.localtime(timezone.datetime.fromtimestamp(self.until, tz=timezone.get_current_timezone()))
        minutes = math.ceil(self.seconds_left / 60)
        return _("登录失败次数过多，已暂时锁定。请在 %(time)s 之后（约 %(minutes)s 分钟后）重试，或联系管理员解锁。") % {
            "time": local.strftime("%H:%M"),
            "minutes": minutes,
        }


_PREFIX = "jianlian:lockout:"


def _redis():
    from jianlian.core.redis_client import client

    return client()


def account_key(user_id: int | None, identifier: str) -> str:
    if user_id is not None:
        return f"{_PREFIX}acct:{user_id}"
    return f"{_PREFIX}ident:" + hashlib.sha256(identifier.strip().lower().encode()).hexdigest()[:32]


def ip_key(ip: str | None) -> str | None:
    return f"{_PREFIX}ip:{ip}" if ip else None


def current_lock(*keys: str | None) -> Lock | None:
    keys = [k for k in keys if k]
    if not keys:
        return None
    now = time.time()
    values = _redis().mget([k + ":until" for k in keys])
    active = [float(v) for v in values if v is not None and float(v) > now]
    return Lock(max(active)) if active else None


def register_failure(key: str | None, threshold: int) -> Lock | None:
    """Count one failure; lock the key once the threshold is reached within the window."""
    if not key:
        return None
    window = settings.LOCKOUT_SECONDS
    from jianlian.core.ratelimit import count_in_window

    r = _redis()
    if count_in_window(r, key, window) >= threshold:
        until = time.time() + window
        pipe = r.pipeline()
        pipe.set(key + ":until", repr(until), ex=window)
        pipe.delete(key)
        pipe.execute()
        return Lock(until)
    return None


def check(*keys: str | None) -> None:
    """Raise ACCOUNT_LOCKED while any of `keys` is locked."""
    lock = current_lock(*keys)
    if lock:
        from jianlian.core.errors import DomainError

        raise DomainError("ACCOUNT_LOCKED", lock.message())


def fail(acct_key: str | None, ip_key_: str | None) -> Lock | None:
    """Count one failed proof of a password against the account and the address; the lock if
    either reached its threshold."""
    new_lock = register_failure(acct_key, settings.LOCKOUT_THRESHOLD)
    return register_failure(ip_key_, settings.LOCKOUT_IP_THRESHOLD) or new_lock


def clear(key: str | None) -> None:
    if key:
        _redis().delete(key, key + ":until")
