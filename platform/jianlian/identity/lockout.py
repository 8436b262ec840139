"""Sign-in lockout per account and per source address, kept in Redis.

Chosen over django-axes because axes keys an account by the string typed into the form, so the
same person signing in by mobile and by username would get two separate counters; here the
counter follows the resolved account (or, for unknown identifiers, the identifier's digest, so a
caller cannot tell known accounts from unknown ones by the lockout behaviour).
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
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


def account_key(user_id: int | None, identifier: str) -> str:
    if user_id is not None:
        return f"lockout:acct:{user_id}"
    return "lockout:ident:" + hashlib.sha256(identifier.strip().lower().encode()).hexdigest()[:32]


def ip_key(ip: str | None) -> str | None:
    return f"lockout:ip:{ip}" if ip else None


def current_lock(*keys: str | None) -> Lock | None:
    now = time.time()
    locks = [cache.get(k + ":until") for k in keys if k]
    active = [u for u in locks if u and u > now]
    return Lock(max(active)) if active else None


def register_failure(key: str | None, threshold: int) -> Lock | None:
    """Count one failure; lock the key once the threshold is reached within the window."""
    if not key:
        return None
    window = settings.LOCKOUT_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count >= threshold:
        until = time.time() + window
        cache.set(key + ":until", until, timeout=window)
        cache.delete(key)
        return Lock(until)
    return None


def clear(key: str | None) -> None:
    if key:
        cache.delete_many([key, key + ":until"])
