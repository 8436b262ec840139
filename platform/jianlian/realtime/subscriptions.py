"""Subscription plumbing shared by every module: listen to event groups, filtered per subscriber."""

from __future__ import annotations

import time

from channels.db import database_sync_to_async
from django.utils.translation import gettext as _

from jianlian.api.base import auth_error
from jianlian.realtime.events import MESSAGE_TYPE

PERMISSION_TTL_SECONDS = 30


def _check(user, perm: str, node_id):
    from jianlian.access.checks import forget, has_perm, has_perm_anywhere
    from jianlian.hierarchy.models import OrgUnit

    forget(user)  # grants may have changed since the socket opened
    if node_id is None:
        return has_perm_anywhere(user, perm)
    node = OrgUnit.objects.filter(pk=node_id).first()
    return node is not None and has_perm(user, perm, node)


async def allowed(info, perm: str | None, node_id: int | None) -> bool:
    """Whether this subscriber may see an event guarded by `perm` at `node_id` (cached briefly
    per connection, so a burst of events costs one check)."""
    if not perm:
        return True
    ws = info.context.ws
    cache = ws.__dict__.setdefault("_jl_perm_cache", {})
    key = (perm, node_id)
    hit = cache.get(key)
    if hit and hit[1] > time.monotonic():
        return hit[0]
    ok = await database_sync_to_async(_check)(info.context.user, perm, node_id)
    cache[key] = (ok, time.monotonic() + PERMISSION_TTL_SECONDS)
    return ok


def require_socket_user(info):
    user = getattr(info.context, "user", None)
    if user is None or not user.is_authenticated:
        raise auth_error("UNAUTHENTICATED", _("请先登录。"))
    return user


async def listen(info, *, groups: list[str], names: set[str]):
    """Yield the payloads of events named `names` sent to `groups` that this subscriber may see."""
    ws = info.context.ws
    wanted = set(groups)
    async with ws.listen_to_channel(MESSAGE_TYPE, groups=groups) as messages:
        async for message in messages:
            if message.get("group") not in wanted or message.get("name") not in names:
                continue
            if await allowed(info, message.get("perm"), message.get("node")):
                yield message["payload"]
